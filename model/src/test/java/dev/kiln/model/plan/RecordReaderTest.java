package dev.kiln.model.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The line rule; {@link CsvSplitPropertyTest} covers quoted CSV. */
class RecordReaderTest {
  private static final int MAX_RECORD = 1 << 20;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 7, 64, 100, 1000, 4096, 100_000})
  void everyRecordBelongsToExactlyOneShardInOrder(long shardBytes) throws IOException {
    List<String> records = randomRecords(new Random(shardBytes), 2_000);
    byte[] input = (String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8);

    assertThat(readAllShards(input, shardBytes, false)).containsExactlyElementsOf(records);
  }

  @Test
  void aFileWithoutTrailingNewlineKeepsItsLastRecord() throws IOException {
    byte[] input = "a\nbb\nccc".getBytes(StandardCharsets.UTF_8);

    for (long shardBytes = 1; shardBytes <= input.length; shardBytes++) {
      assertThat(readAllShards(input, shardBytes, false)).containsExactly("a", "bb", "ccc");
    }
  }

  @Test
  void theHeaderIsSkippedOnceAndCrlfAndBlankLinesAreNotRecords() throws IOException {
    byte[] input = "id,x\r\n1,a\r\n\r\n2,b\r\n3,c".getBytes(StandardCharsets.UTF_8);

    for (long shardBytes = 1; shardBytes <= input.length; shardBytes++) {
      assertThat(readAllShards(input, shardBytes, true)).containsExactly("1,a", "2,b", "3,c");
    }
  }

  @Test
  void offsetsPointAtTheStartOfEachRecord() throws IOException {
    byte[] input = "alpha\nbeta\ngamma\n".getBytes(StandardCharsets.UTF_8);
    RecordReader reader =
        new RecordReader(source(input), 0, input.length, RecordSyntax.LINES, false, 100);

    assertThat(reader.next()).isEqualTo(new LineRecord(0, "alpha", 0));
    assertThat(reader.next()).isEqualTo(new LineRecord(6, "beta", 1));
    assertThat(reader.next()).isEqualTo(new LineRecord(11, "gamma", 2));
    assertThat(reader.next()).isNull();
  }

  @Test
  void multiByteCharactersSurviveBufferBoundaries() throws IOException {
    String record = "é".repeat(70_000);
    byte[] input = (record + "\nz\n").getBytes(StandardCharsets.UTF_8);

    assertThat(readAllShards(input, 50_000, false)).containsExactly(record, "z");
  }

  @Test
  void anOverlongRecordIsAClearError() {
    byte[] input = ("x".repeat(500) + "\n").getBytes(StandardCharsets.UTF_8);
    RecordReader reader =
        new RecordReader(source(input), 0, input.length, RecordSyntax.LINES, false, 100);

    assertThatThrownBy(reader::next)
        .isInstanceOf(RecordTooLongException.class)
        .hasMessageContaining("byte 0")
        .hasMessageContaining("longer than 100 bytes");
  }

  private static List<String> readAllShards(byte[] input, long shardBytes, boolean header)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (long start = 0; start < input.length; start += shardBytes) {
      long end = Math.min(input.length, start + shardBytes);
      RecordReader reader =
          new RecordReader(source(input), start, end, RecordSyntax.LINES, header, MAX_RECORD);
      for (LineRecord record = reader.next(); record != null; record = reader.next()) {
        out.add(record.text());
      }
    }
    return out;
  }

  /** The whole input, readable from any offset. */
  static ByteSource source(byte[] input) {
    return offset -> new ByteArrayInputStream(input, (int) offset, input.length - (int) offset);
  }

  private static List<String> randomRecords(Random random, int count) {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(i + ":" + "r".repeat(random.nextInt(40)));
    }
    return records;
  }
}
