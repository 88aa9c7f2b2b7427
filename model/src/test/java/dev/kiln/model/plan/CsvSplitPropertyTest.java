package dev.kiln.model.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Splits generated CSV files at every shard size and checks that the shards' records, put back in
 * order, are the file's records exactly once, with their offsets and file line numbers. Seeded, so
 * a failure names its seed.
 */
class CsvSplitPropertyTest {
  private static final int MAX_RECORD = 256;

  /** A record as the file holds it: offset, text without its line break, 1-based line. */
  record Expected(long offset, String text, long line) {}

  @Test
  void validCsvSplitsExactlyAtEveryShardSize() throws IOException {
    for (long seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      byte[] file = validCsv(random, 1 + random.nextInt(40));
      List<Expected> expected = oracle(file);
      for (long shardBytes = 1;
          shardBytes <= file.length + 1;
          shardBytes += shardBytes < 48 ? 1 : 7) {
        assertThat(readAllShards(file, shardBytes, MAX_RECORD))
            .as("seed %d, shard size %d, file %s", seed, shardBytes, show(file))
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void filesLongerThanTheReadBufferSplitExactly() throws IOException {
    for (long seed = 0; seed < 3; seed++) {
      byte[] file = validCsv(new Random(seed), 12_000);
      assertThat(file.length).isGreaterThan(3 * 65_536);
      List<Expected> expected = oracle(file);
      for (long shardBytes : new long[] {997, 4096, 65_535, 65_536, 100_003, file.length}) {
        assertThat(readAllShards(file, shardBytes, MAX_RECORD))
            .as("seed %d, shard size %d", seed, shardBytes)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void anyBytesSplitAsTheWholeFileReadsThem() throws IOException {
    String alphabet = "ab,\"\"\n\n\r";
    for (long seed = 0; seed < 1500; seed++) {
      Random random = new Random(seed);
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(120);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] file = text.toString().getBytes(StandardCharsets.UTF_8);
      int maxRecord = 8 + random.nextInt(40);
      List<Expected> whole;
      try {
        whole = readAllShards(file, file.length + 1L, maxRecord);
      } catch (RecordTooLongException e) {
        for (long shardBytes = 1; shardBytes <= file.length; shardBytes++) {
          long size = shardBytes;
          assertThatThrownBy(() -> readAllShards(file, size, maxRecord))
              .as("seed %d, shard size %d", seed, shardBytes)
              .isInstanceOf(RecordTooLongException.class);
        }
        continue;
      }
      for (long shardBytes = 1; shardBytes <= file.length; shardBytes++) {
        assertThat(readAllShards(file, shardBytes, maxRecord))
            .as("seed %d, shard size %d, file %s", seed, shardBytes, show(file))
            .containsExactlyElementsOf(whole);
      }
    }
  }

  @Test
  void aShardInsideALongQuotedFieldScansFromTheFileStartOnlyThen() throws IOException {
    String rows = "1,plain\n".repeat(30);
    String field = "line\n".repeat(30);
    byte[] file =
        ("id,text\n" + rows + "2,\"" + field + "\"\n3,after\n").getBytes(StandardCharsets.UTF_8);
    long inside = 8 + rows.length() + 3 + field.length() / 2;
    RecordReader reader =
        new RecordReader(
            RecordReaderTest.source(file), inside, inside + 8, RecordSyntax.CSV, true, 200);

    assertThat(reader.next()).isNull();
    assertThat(reader.scannedFromFileStart()).isTrue();
    List<Expected> records = readAllShards(file, 16, 200);
    assertThat(records).containsExactlyElementsOf(oracle(file));
    assertThat(records.get(records.size() - 1))
        .isEqualTo(new Expected(file.length - 8, "3,after", 63));
  }

  @Test
  void aFileWithoutQuotedLineBreaksNeverScansFromTheStart() throws IOException {
    byte[] plain = ("id,x\n" + "1,\"a,b\"\n".repeat(300)).getBytes(StandardCharsets.UTF_8);
    for (long start = 1; start < plain.length; start += 37) {
      RecordReader reader =
          new RecordReader(
              RecordReaderTest.source(plain), start, start + 37, RecordSyntax.CSV, true, 100);
      while (reader.next() != null) {
        // read the shard
      }
      assertThat(reader.scannedFromFileStart()).as("shard at %d", start).isFalse();
    }
  }

  @Test
  void theRfc4180ExamplesKeepTheirRecords() throws IOException {
    byte[] file =
        ("field_name,field_name,field_name\r\n"
                + "aaa,bbb,ccc\r\n"
                + "\"aaa\",\"b\r\nbb\",\"ccc\"\r\n"
                + "zzz,yyy,xxx\r\n"
                + "\"aaa\",\"b\"\"bb\",\"ccc\"\r\n"
                + "\"aaa\",\"b,bb\",\"ccc\"")
            .getBytes(StandardCharsets.UTF_8);
    for (long shardBytes = 1; shardBytes <= file.length; shardBytes++) {
      assertThat(readAllShards(file, shardBytes, 100))
          .extracting(Expected::text)
          .containsExactly(
              "aaa,bbb,ccc",
              "\"aaa\",\"b\r\nbb\",\"ccc\"",
              "zzz,yyy,xxx",
              "\"aaa\",\"b\"\"bb\",\"ccc\"",
              "\"aaa\",\"b,bb\",\"ccc\"");
    }
  }

  /** Reads every shard of {@code shardBytes} and numbers lines as the scheduler does. */
  static List<Expected> readAllShards(byte[] file, long shardBytes, int maxRecord)
      throws IOException {
    List<Expected> out = new ArrayList<>();
    long linesBefore = 0;
    for (long start = 0; start < Math.max(1, file.length); start += shardBytes) {
      long end = Math.min(file.length, start + shardBytes);
      RecordReader reader =
          new RecordReader(
              RecordReaderTest.source(file), start, end, RecordSyntax.CSV, true, maxRecord);
      for (LineRecord record = reader.next(); record != null; record = reader.next()) {
        out.add(
            new Expected(
                record.offset(), record.text(), 1 + linesBefore + record.newlinesFromShardStart()));
      }
      linesBefore += reader.newlinesInRange();
    }
    return out;
  }

  /** Records by RFC 4180 read straight through, written independently of the reader. */
  static List<Expected> oracle(byte[] file) {
    String text = new String(file, StandardCharsets.ISO_8859_1);
    List<Expected> records = new ArrayList<>();
    boolean quoted = false;
    int recordStart = 0;
    boolean header = true;
    for (int i = 0; i <= text.length(); i++) {
      char c = i == text.length() ? '\n' : text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\n' && !quoted) {
        String record = text.substring(recordStart, i);
        if (record.endsWith("\r")) {
          record = record.substring(0, record.length() - 1);
        }
        if (!header && !record.isEmpty()) {
          long line = 1 + text.substring(0, recordStart).chars().filter(ch -> ch == '\n').count();
          byte[] raw = record.getBytes(StandardCharsets.ISO_8859_1);
          records.add(new Expected(recordStart, new String(raw, StandardCharsets.UTF_8), line));
        }
        header = false;
        recordStart = i + 1;
      }
    }
    return records;
  }

  /** A valid RFC 4180 file: a header, then rows of plain and quoted fields. */
  static byte[] validCsv(Random random, int rows) {
    StringBuilder csv = new StringBuilder("id,a,b\n");
    String lineBreak = random.nextBoolean() ? "\n" : "\r\n";
    for (int row = 0; row < rows; row++) {
      csv.append(row);
      for (int f = 0; f < 2; f++) {
        csv.append(',').append(field(random));
      }
      csv.append(lineBreak);
      if (random.nextInt(15) == 0) {
        csv.append(lineBreak);
      }
    }
    if (random.nextBoolean()) {
      csv.setLength(csv.length() - lineBreak.length());
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String field(Random random) {
    String[] pieces = {"x", "yz", " ", ",", "\"\"", "\n", "\r\n", "é", "\n\n", "ab,\n"};
    StringBuilder field = new StringBuilder();
    int n = random.nextInt(6);
    boolean quoted = random.nextInt(3) > 0;
    for (int i = 0; i < n; i++) {
      String piece = pieces[random.nextInt(pieces.length)];
      if (!quoted && !piece.matches("[a-zé ]+")) {
        piece = "v";
      }
      field.append(piece);
    }
    return quoted ? "\"" + field + "\"" : field.toString();
  }

  private static String show(byte[] file) {
    return new String(file, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
  }
}
