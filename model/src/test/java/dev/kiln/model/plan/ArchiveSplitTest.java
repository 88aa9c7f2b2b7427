package dev.kiln.model.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives made by the JDK's zip writer and by GNU tar, cut at many shard sizes: the shards' files,
 * put back in order, are the archive's files exactly once, each with its name and bytes.
 */
class ArchiveSplitTest {
  private static final long[] SHARD_SIZES = {1, 512, 1024, 3000, 8192, 65_536, Long.MAX_VALUE};

  /** A file as the archive should give it back: its name and its bytes, in hex. */
  record File(String name, String hex) {
    static File of(String name, byte[] bytes) {
      return new File(name, HexFormat.of().formatHex(bytes));
    }
  }

  @Test
  void zipShardsHoldEveryFileOnceInOrder() throws IOException {
    for (long seed = 0; seed < 20; seed++) {
      Map<String, byte[]> files = files(new Random(seed), 1 + (int) seed * 3);
      byte[] zip = zip(files, seed % 2 == 0);
      List<File> expected = expected(files);
      long[] cuts = offsets(ZipDirectory.read(ranges(zip), zip.length));
      for (long shardBytes : SHARD_SIZES) {
        assertThat(readShards(ArchiveReader.Kind.ZIP, zip, cuts, shardBytes))
            .as("seed %d, shard size %d", seed, shardBytes)
            .containsExactlyElementsOf(expected);
        if (shardBytes < 1024) {
          continue;
        }
        assertThat(readShards(ArchiveReader.Kind.ZIP, zip, null, shardBytes))
            .as("ranges not cut at files, seed %d, shard size %d", seed, shardBytes)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "pax", "ustar"})
  void tarShardsHoldEveryFileOnceInOrder(String format, @TempDir Path dir) throws Exception {
    for (long seed = 0; seed < 6; seed++) {
      Map<String, byte[]> files = files(new Random(seed), 2 + (int) seed * 5);
      byte[] tar = tar(dir.resolve("s" + seed), files, format, false);
      List<File> expected = expected(files);
      ChunkedRangeReader chunked = new ChunkedRangeReader(ranges(tar), tar.length, 64 * 1024);
      long[] cuts = offsets(walk(chunked));
      assertThat(cuts).hasSize(files.size());
      assertThat(chunked.fetches()).isLessThanOrEqualTo(1 + tar.length / (64 * 1024));
      for (long shardBytes : SHARD_SIZES) {
        assertThat(readShards(ArchiveReader.Kind.TAR, tar, cuts, shardBytes))
            .as("%s, seed %d, shard size %d", format, seed, shardBytes)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void aGzippedTarIsReadWholeFromItsStart(@TempDir Path dir) throws Exception {
    Map<String, byte[]> files = files(new Random(7), 25);
    byte[] tgz = tar(dir, files, "gnu", true);
    ByteSource decompressed =
        from -> new GZIPInputStream(new ByteArrayInputStream(tgz, (int) from, tgz.length));
    List<File> read = new ArrayList<>();
    try (ArchiveReader reader =
        new ArchiveReader(
            ArchiveReader.Kind.TAR, decompressed, Long.MAX_VALUE, 0, Long.MAX_VALUE, 1 << 20)) {
      LineRecord record;
      while ((record = reader.next()) != null) {
        read.add(File.of(record.text(), record.bytes()));
      }
    }
    assertThat(read).containsExactlyElementsOf(expected(files));
  }

  @Test
  void aFileLargerThanTheLimitFailsTheShardNamingIt() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("small.bin", new byte[10]);
    files.put("big.bin", new byte[5000]);
    byte[] zip = zip(files, true);
    ArchiveReader reader =
        new ArchiveReader(ArchiveReader.Kind.ZIP, source(zip), zip.length, 0, zip.length, 4096);
    assertThat(reader.next().text()).isEqualTo("small.bin");
    assertThatThrownBy(reader::next)
        .isInstanceOf(BadArchiveException.class)
        .hasMessageContaining("'big.bin'")
        .hasMessageContaining("at most 4096");
  }

  @Test
  void somethingElseIsNoZipArchive() {
    byte[] text = "id,name\n1,a\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ZipDirectory.read(ranges(text), text.length))
        .isInstanceOf(BadArchiveException.class)
        .hasMessageContaining("not a zip archive");
    byte[] block = Arrays.copyOf("not a tar header".getBytes(StandardCharsets.UTF_8), 512);
    assertThatThrownBy(() -> new TarWalker(ranges(block), 0).next())
        .isInstanceOf(BadArchiveException.class)
        .hasMessageContaining("damaged");
  }

  private static List<File> readShards(
      ArchiveReader.Kind kind, byte[] archive, long[] cuts, long shardBytes) throws IOException {
    List<ByteRange> ranges =
        new ShardPlanner(1_000_000, 1)
            .plan(
                List.of((long) archive.length),
                shardBytes,
                List.of(true),
                Collections.singletonList(cuts));
    List<File> read = new ArrayList<>();
    for (ByteRange range : ranges) {
      try (ArchiveReader reader =
          new ArchiveReader(
              kind, source(archive), archive.length, range.start(), range.end(), 1 << 20)) {
        LineRecord record;
        while ((record = reader.next()) != null) {
          assertThat(record.offset()).isGreaterThanOrEqualTo(range.start()).isLessThan(range.end());
          read.add(File.of(record.text(), record.bytes()));
        }
      }
    }
    return read;
  }

  private static List<ArchiveEntry> walk(RangeReader reader) throws IOException {
    List<ArchiveEntry> entries = new ArrayList<>();
    TarWalker walker = new TarWalker(reader, 0);
    ArchiveEntry entry;
    while ((entry = walker.next()) != null) {
      entries.add(entry);
    }
    return entries;
  }

  private static long[] offsets(List<ArchiveEntry> entries) {
    return entries.stream().mapToLong(ArchiveEntry::offset).toArray();
  }

  /** Files of random sizes (some empty, some over 100 KiB) and names (some over 100 bytes). */
  static Map<String, byte[]> files(Random random, int count) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String dir =
          random.nextInt(4) == 0 ? "deep/" + "d".repeat(60 + random.nextInt(90)) + "/" : "";
      String name = dir + "file-" + i + (random.nextBoolean() ? ".jpg" : ".wav");
      int size =
          switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 100_000 + random.nextInt(50_000);
            default -> random.nextInt(4000);
          };
      byte[] bytes = new byte[size];
      if (random.nextBoolean()) {
        random.nextBytes(bytes);
      } else {
        Arrays.fill(bytes, (byte) ('a' + i % 26));
      }
      files.put(name, bytes);
    }
    return files;
  }

  static byte[] zip(Map<String, byte[]> files, boolean someStored) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("a-directory/"));
      zip.closeEntry();
      int i = 0;
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        if (someStored && i++ % 2 == 0) {
          CRC32 crc = new CRC32();
          crc.update(file.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(file.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(file.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The files written under {@code dir}, archived by GNU tar in {@code format}, in their order. */
  static byte[] tar(Path dir, Map<String, byte[]> files, String format, boolean gzip)
      throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    List<String> command =
        new ArrayList<>(List.of("tar", "--format=" + format, "-C", root.toString()));
    command.add(gzip ? "-czf" : "-cf");
    Path archive = dir.resolve("archive.tar");
    command.add(archive.toString());
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
      command.add(file.getKey());
    }
    Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(output).isZero();
    return Files.readAllBytes(archive);
  }

  static List<File> expected(Map<String, byte[]> files) {
    return files.entrySet().stream().map(e -> File.of(e.getKey(), e.getValue())).toList();
  }

  private static RangeReader ranges(byte[] bytes) {
    return (offset, length) ->
        Arrays.copyOfRange(
            bytes, (int) offset, (int) Math.min(bytes.length, offset + (long) length));
  }

  private static ByteSource source(byte[] bytes) {
    return from -> {
      InputStream in = new ByteArrayInputStream(bytes);
      in.skipNBytes(Math.min(from, bytes.length));
      return in;
    };
  }
}
