package dev.kiln.cli.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.plan.ArchiveReader;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A packed folder is a tar GNU tar extracts to the same files, and Kiln reads file by file. */
class FolderTarTest {
  @TempDir Path temp;

  @Test
  void gnuTarExtractsEveryFileAsItWas() throws Exception {
    Map<String, byte[]> files = folder(temp.resolve("photos"));
    Path tar = FolderTar.pack(temp.resolve("photos"), temp.resolve("cache"));
    assertThat(tar.getFileName().toString()).isEqualTo("photos.tar");

    Path out = Files.createDirectories(temp.resolve("out"));
    Process process =
        new ProcessBuilder("tar", "-xf", tar.toString(), "-C", out.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(said).isZero();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      assertThat(Files.readAllBytes(out.resolve(file.getKey()))).isEqualTo(file.getValue());
    }
    try (var walk = Files.walk(out)) {
      assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(files.size());
    }
  }

  @Test
  void kilnReadsOneRecordPerFileInPathOrder() throws Exception {
    Map<String, byte[]> files = folder(temp.resolve("clips"));
    Path tar = FolderTar.pack(temp.resolve("clips"), temp.resolve("cache"));
    List<String> names = new ArrayList<>();
    try (ArchiveReader reader =
        new ArchiveReader(
            ArchiveReader.Kind.TAR,
            from -> {
              FileChannel channel = FileChannel.open(tar);
              channel.position(from);
              InputStream in = Channels.newInputStream(channel);
              return in;
            },
            Files.size(tar),
            0,
            Files.size(tar),
            1 << 20)) {
      LineRecord record;
      while ((record = reader.next()) != null) {
        names.add(record.text());
        assertThat(record.bytes()).isEqualTo(files.get(record.text()));
      }
    }
    assertThat(names).containsExactlyElementsOf(files.keySet());
  }

  @Test
  void theSameFolderPacksToTheSameBytesAndTime() throws Exception {
    folder(temp.resolve("same"));
    Path first = FolderTar.pack(temp.resolve("same"), temp.resolve("cache"));
    byte[] bytes = Files.readAllBytes(first);
    long modified = Files.getLastModifiedTime(first).toMillis();
    Path second = FolderTar.pack(temp.resolve("same"), temp.resolve("cache"));
    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second)).isEqualTo(bytes);
    assertThat(Files.getLastModifiedTime(second).toMillis()).isEqualTo(modified);
  }

  @Test
  void anEmptyFolderIsRefused() throws IOException {
    Files.createDirectories(temp.resolve("empty/sub"));
    assertThatThrownBy(() -> FolderTar.pack(temp.resolve("empty"), temp.resolve("cache")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds no files");
  }

  /** Files in nested folders, one path longer than ustar's 100 bytes, one name not ASCII. */
  private static Map<String, byte[]> folder(Path root) throws IOException {
    Random random = new Random(3);
    Map<String, byte[]> files = new TreeMap<>();
    files.put("a.png", new byte[0]);
    files.put("b/" + "long-folder-name-".repeat(8) + "/c.wav", bytes(random, 70_000));
    files.put("b/é-ü.jpg", bytes(random, 513));
    files.put("b/z.txt", bytes(random, 512));
    Map<String, byte[]> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
    try (var walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .sorted()
          .forEach(
              p ->
                  ordered.put(
                      root.relativize(p).toString(), files.get(root.relativize(p).toString())));
    }
    return ordered;
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }
}
