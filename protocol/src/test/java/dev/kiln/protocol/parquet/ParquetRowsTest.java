package dev.kiln.protocol.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetRowsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<Column> COLUMNS =
      List.of(
          new Column("id", ColumnType.LONG),
          new Column("name", ColumnType.STRING),
          new Column("score", ColumnType.DOUBLE),
          new Column("ok", ColumnType.BOOLEAN));

  /** Row {@code i}: some names and scores missing, names of varied length. */
  static List<Object> row(int i) {
    return Arrays.asList(
        (long) i,
        i % 17 == 0 ? null : "row " + i + " " + "x".repeat(i % 40),
        i % 5 == 0 ? null : i / 4.0,
        i % 2 == 0);
  }

  static byte[] parquet(int rows, int rowsPerGroup, Codec codec) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParquetRowWriter writer = new ParquetRowWriter(bytes, COLUMNS, rowsPerGroup, codec)) {
      for (int i = 0; i < rows; i++) {
        writer.write(row(i));
      }
    }
    return bytes.toByteArray();
  }

  static RangeReader ranges(byte[] file) {
    return (offset, length) ->
        Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + length));
  }

  /** Checks that {@code text} is row {@code i} as JSON, with its typed values and its nulls. */
  static void assertRow(String text, int i) throws IOException {
    JsonNode node = JSON.readTree(text);
    List<Object> expected = row(i);
    assertThat(node.size()).as(text).isEqualTo(4);
    assertThat(node.get("id").isIntegralNumber()).as(text).isTrue();
    assertThat(node.get("id").asLong()).as(text).isEqualTo(i);
    if (expected.get(1) == null) {
      assertThat(node.get("name").isNull()).as(text).isTrue();
    } else {
      assertThat(node.get("name").asText()).as(text).isEqualTo(expected.get(1));
    }
    if (expected.get(2) == null) {
      assertThat(node.get("score").isNull()).as(text).isTrue();
    } else {
      assertThat(node.get("score").isNumber()).as(text).isTrue();
      assertThat(node.get("score").asDouble()).as(text).isEqualTo(expected.get(2));
    }
    assertThat(node.get("ok").isBoolean()).as(text).isTrue();
    assertThat(node.get("ok").asBoolean()).as(text).isEqualTo(expected.get(3));
  }

  static List<LineRecord> readAll(byte[] file, long start, long end) throws IOException {
    List<LineRecord> records = new ArrayList<>();
    try (ParquetRows rows = new ParquetRows(ranges(file), file.length, start, end)) {
      for (LineRecord record = rows.next(); record != null; record = rows.next()) {
        records.add(record);
      }
      assertThat(rows.newlinesInRange()).isEqualTo(records.size());
    }
    return records;
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void everyCodecReadsBackEveryRowWithItsTypesAndNulls(Codec codec) throws Exception {
    byte[] file = parquet(2_000, 300, codec);
    ParquetLayout layout = ParquetFooter.read(ranges(file), file.length);
    assertThat(layout.rowGroups()).hasSize(7);
    assertThat(layout.rows()).isEqualTo(2_000);
    assertThat(layout.numericColumns()).containsExactly("id", "score");

    List<LineRecord> records = readAll(file, 0, file.length);

    assertThat(records).hasSize(2_000);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).offset()).isEqualTo(i);
      assertThat(records.get(i).newlinesFromShardStart()).isEqualTo(i);
      assertRow(records.get(i).text(), i);
    }
  }

  @Test
  void aShardOwnsTheRowGroupsThatStartInItsRange() throws Exception {
    byte[] file = parquet(1_000, 100, Codec.SNAPPY);
    ParquetLayout layout = ParquetFooter.read(ranges(file), file.length);
    RowGroupSpan third = layout.rowGroups().get(2);
    RowGroupSpan fifth = layout.rowGroups().get(4);

    List<LineRecord> records = readAll(file, third.start() - 1, fifth.start());

    assertThat(records).hasSize(200);
    assertThat(records.get(0).offset()).isEqualTo(third.firstRow()).isEqualTo(200);
    assertThat(records.get(0).newlinesFromShardStart()).isZero();
    assertThat(records.get(199).offset()).isEqualTo(399);
    assertThat(records.get(199).newlinesFromShardStart()).isEqualTo(199);
    assertThat(readAll(file, third.start() + 1, fifth.start())).hasSize(100);
  }

  @Test
  void aFileCutShortSaysSoAndWhatToDo() throws Exception {
    byte[] file = parquet(500, 100, Codec.SNAPPY);
    byte[] cut = Arrays.copyOf(file, file.length - 100);

    assertThatThrownBy(() -> ParquetFooter.read(ranges(cut), cut.length))
        .isInstanceOf(BadParquetException.class)
        .hasMessage(
            "does not end with Parquet's closing marker PAR1: it is cut short or not a Parquet"
                + " file; write it again and upload the whole file");
    assertThatThrownBy(() -> ParquetFooter.read(ranges(new byte[5]), 5))
        .isInstanceOf(BadParquetException.class)
        .hasMessageContaining("is 5 bytes long, too short to be a Parquet file");
  }

  @Test
  void aDamagedFooterOrPageIsNamedAsDamaged() throws Exception {
    byte[] file = parquet(500, 100, Codec.SNAPPY);
    byte[] footer = file.clone();
    int footerLength =
        (footer[file.length - 8] & 0xff)
            | (footer[file.length - 7] & 0xff) << 8
            | (footer[file.length - 6] & 0xff) << 16;
    Arrays.fill(footer, file.length - 8 - footerLength, file.length - 8, (byte) 0xff);
    assertThatThrownBy(() -> ParquetFooter.read(ranges(footer), footer.length))
        .isInstanceOf(BadParquetException.class)
        .hasMessageContaining("the file is damaged; write it again");

    ParquetLayout layout = ParquetFooter.read(ranges(file), file.length);
    RowGroupSpan second = layout.rowGroups().get(1);
    byte[] page = file.clone();
    Arrays.fill(page, (int) second.start(), (int) second.start() + 24, (byte) 0xff);
    assertThat(readAll(page, 0, second.start())).hasSize(100);
    assertThatThrownBy(() -> readAll(page, second.start(), page.length))
        .isInstanceOf(BadParquetException.class)
        .hasMessageContaining("in row group 1")
        .hasMessageContaining("write it again and upload it");
  }

  @Test
  void aFileOfNoRowsHasNoRecords() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ParquetRowWriter(bytes, COLUMNS, 10, Codec.SNAPPY).close();
    byte[] file = bytes.toByteArray();

    assertThat(ParquetFooter.read(ranges(file), file.length).rowGroups()).isEmpty();
    assertThat(readAll(file, 0, file.length)).isEmpty();
  }
}
