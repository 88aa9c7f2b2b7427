package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ModelFilesTest {
  @TempDir Path dir;

  static byte[] zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void unpacksAndMarksComplete() throws IOException {
    Path target = dir.resolve("m");
    S3ModelFiles.unpack(
        new ByteArrayInputStream(zip("model/saved_model.pb", "pb", "model/variables/v", "x")),
        target);
    assertThat(target.resolve("model/saved_model.pb")).hasContent("pb");
    assertThat(target.resolve(".complete")).exists();
  }

  @Test
  void refusesWhatIsNotAZipAndPathsOutsideTheModel() throws IOException {
    assertThatThrownBy(
            () ->
                S3ModelFiles.unpack(
                    new ByteArrayInputStream("not a zip at all".getBytes()), dir.resolve("a")))
        .isInstanceOf(ZipException.class);
    assertThatThrownBy(
            () ->
                S3ModelFiles.unpack(
                    new ByteArrayInputStream(zip("../evil", "x")), dir.resolve("b")))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("outside");
    assertThat(Files.exists(dir.resolve("evil"))).isFalse();
    assertThat(dir.resolve("a/.complete")).doesNotExist();
  }

  @Test
  void cacheNamesAreSafePathSegments() {
    assertThat(S3ModelFiles.cacheName("../x/\"etag-1\"")).isEqualTo(".._x__etag-1_");
  }
}
