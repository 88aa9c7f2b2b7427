package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
  void failedUnpacksLeaveNothingBehind() throws IOException {
    assertThatThrownBy(
            () ->
                S3ModelFiles.unpack(
                    new ByteArrayInputStream(zip("ok", "x", "../evil", "x")), dir.resolve("c")))
        .isInstanceOf(ZipException.class);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void keepsTheCompleteModelAnotherProcessPutInPlace() throws IOException {
    Path target = dir.resolve("m");
    Files.createDirectories(target);
    Files.writeString(target.resolve("saved_model.pb"), "theirs");
    Files.createFile(target.resolve(".complete"));

    S3ModelFiles.unpack(new ByteArrayInputStream(zip("saved_model.pb", "mine")), target);

    assertThat(target.resolve("saved_model.pb")).hasContent("theirs");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void replacesAnIncompleteLeftover() throws IOException {
    Path target = dir.resolve("m");
    Files.createDirectories(target.resolve("variables"));
    Files.writeString(target.resolve("variables/half"), "x");

    S3ModelFiles.unpack(new ByteArrayInputStream(zip("saved_model.pb", "pb")), target);

    assertThat(target.resolve("saved_model.pb")).hasContent("pb");
    assertThat(target.resolve(".complete")).exists();
    assertThat(target.resolve("variables")).doesNotExist();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void concurrentUnpacksOfOneModelAllSucceedAndNeverRemoveIt() throws Exception {
    Path target = dir.resolve("m");
    byte[] model = zip("saved_model.pb", "pb", "variables/v", "x".repeat(100_000));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        runs.add(
            pool.submit(
                () -> {
                  S3ModelFiles.unpack(new ByteArrayInputStream(model), target);
                  // once unpack returns, the model must be there whole
                  return Files.exists(target.resolve(".complete"))
                      && Files.size(target.resolve("variables/v")) == 100_000;
                }));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void cacheNamesAreSafePathSegments() {
    assertThat(S3ModelFiles.cacheName("../x/\"etag-1\"")).isEqualTo(".._x__etag-1_");
  }
}
