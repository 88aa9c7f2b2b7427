package dev.kiln.protocol.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParquetPartMergerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output record {@code i}: an id, a score (sometimes absent), a label and a flag. */
  private static String record(int i) {
    return "{\"id\":"
        + i
        + (i % 7 == 0 ? "" : ",\"score\":" + (i / 8.0))
        + ",\"label\":\"row "
        + i
        + "\",\"ok\":"
        + (i % 3 == 0)
        + "}";
  }

  private static byte[] part(List<String> records) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String text = String.join("\n", records);
    JsonParquet.write(() -> new BufferedReader(new StringReader(text)), bytes);
    return bytes.toByteArray();
  }

  private static List<String> records(int from, int to) {
    List<String> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      records.add(record(i));
    }
    return records;
  }

  private static ParquetPartMerger.Part partOf(byte[] bytes) {
    return new ParquetPartMerger.Part(ParquetRowsTest.ranges(bytes), bytes.length);
  }

  private static byte[] merge(List<byte[]> parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ParquetPartMerger.merge(parts.stream().map(ParquetPartMergerTest::partOf).toList(), out);
    return out.toByteArray();
  }

  private static List<JsonNode> rows(byte[] file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (LineRecord record : ParquetRowsTest.readAll(file, 0, file.length)) {
      rows.add(JSON.readTree(record.text()));
    }
    return rows;
  }

  @Test
  void partsMergeIntoOneFileWithEveryRowOnceInPartOrder() throws Exception {
    int[] bounds = {0, 3, 3, 20_000, 20_050, 41_000};
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.length; i++) {
      parts.add(part(records(bounds[i], bounds[i + 1])));
    }
    assertThat(parts.get(1)).as("a part of no rows is empty").isEmpty();

    byte[] merged = merge(parts);

    List<JsonNode> rows = rows(merged);
    assertThat(rows).hasSize(41_000);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode expected = JSON.readTree(record(i));
      JsonNode row = rows.get(i);
      assertThat(row.get("id").longValue()).isEqualTo(i);
      assertThat(row.get("label").textValue()).isEqualTo(expected.get("label").textValue());
      assertThat(row.get("ok").booleanValue()).isEqualTo(i % 3 == 0);
      if (i % 7 == 0) {
        assertThat(row.get("score").isNull()).as("row %d", i).isTrue();
      } else {
        assertThat(row.get("score").doubleValue()).isEqualTo(i / 8.0);
      }
    }
  }

  @Test
  void theFooterPointsAtEachPartsRowGroupBytesWhereTheyNowLie() throws Exception {
    List<byte[]> parts = List.of(part(records(0, 20_000)), part(records(20_000, 20_100)));
    byte[] merged = merge(parts);

    ParquetLayout layout = ParquetFooter.read(ParquetRowsTest.ranges(merged), merged.length);
    List<byte[]> sourceGroups = new ArrayList<>();
    for (byte[] part : parts) {
      ParquetLayout source = ParquetFooter.read(ParquetRowsTest.ranges(part), part.length);
      for (RowGroupSpan span : source.rowGroups()) {
        sourceGroups.add(Arrays.copyOfRange(part, (int) span.start(), (int) span.end()));
      }
    }
    assertThat(layout.rowGroups()).hasSize(3).hasSize(sourceGroups.size());
    assertThat(layout.rowGroups().get(0).start()).isEqualTo(4);
    for (int i = 0; i < sourceGroups.size(); i++) {
      RowGroupSpan span = layout.rowGroups().get(i);
      assertThat(Arrays.copyOfRange(merged, (int) span.start(), (int) span.end()))
          .as("row group %d", i)
          .isEqualTo(sourceGroups.get(i));
    }
    assertThat(layout.rowGroups().get(2).end()).isEqualTo(layout.dataEnd());
    assertThat(layout.rowGroups().stream().mapToLong(RowGroupSpan::rows).toArray())
        .containsExactly(16_384, 3_616, 100);
    assertThat(layout.rows()).isEqualTo(20_100);
    assertThat(JsonParquet.columnsOf(layout.schema()).stream().map(Column::name))
        .as("the first part's order: its first record has no score")
        .containsExactly("id", "label", "ok", "score");
    List<LineRecord> read = ParquetRowsTest.readAll(merged, 0, merged.length);
    assertThat(read.get(20_001).text())
        .isEqualTo("{\"id\":20001,\"label\":\"row 20001\",\"ok\":true,\"score\":2500.125}");
  }

  @Test
  void partsWithDifferentColumnsAreWrittenAgainUnderTheFilesColumns() throws Exception {
    byte[] integers = part(List.of("{\"id\":1,\"score\":2}", "{\"id\":2,\"score\":3}"));
    byte[] decimals = part(List.of("{\"id\":3,\"score\":2.5,\"label\":\"x\"}"));
    byte[] merged = merge(List.of(integers, decimals));

    ParquetLayout layout = ParquetFooter.read(ParquetRowsTest.ranges(merged), merged.length);
    assertThat(JsonParquet.columnsOf(layout.schema()))
        .containsExactly(
            new Column("id", ColumnType.LONG),
            new Column("score", ColumnType.DOUBLE),
            new Column("label", ColumnType.STRING));
    assertThat(rows(merged).stream().map(JsonNode::toString))
        .containsExactly(
            "{\"id\":1,\"score\":2.0,\"label\":null}",
            "{\"id\":2,\"score\":3.0,\"label\":null}",
            "{\"id\":3,\"score\":2.5,\"label\":\"x\"}");
  }

  @Test
  void columnsAreTypedByEveryValueTheyHold() {
    JsonParquet.Columns columns = new JsonParquet.Columns();
    for (String record :
        List.of(
            "{\"n\":1,\"x\":1,\"s\":\"a\",\"b\":true,\"mixed\":1,\"nested\":{\"a\":1},\"none\":null}",
            "{\"n\":2,\"x\":1.5,\"s\":null,\"b\":false,\"mixed\":\"one\",\"nested\":[1]}")) {
      columns.add(JsonParquet.row(record));
    }
    assertThat(columns.columns())
        .containsExactly(
            new Column("n", ColumnType.LONG),
            new Column("x", ColumnType.DOUBLE),
            new Column("s", ColumnType.STRING),
            new Column("b", ColumnType.BOOLEAN),
            new Column("mixed", ColumnType.STRING),
            new Column("nested", ColumnType.STRING),
            new Column("none", ColumnType.STRING));
    assertThat(
            JsonParquet.values(
                JsonParquet.row("{\"mixed\":1,\"nested\":{\"a\":1}}"), columns.columns()))
        .containsExactly(null, null, null, null, "1", "{\"a\":1}", null);
    assertThat(JsonParquet.row("not json").toString()).isEqualTo("{\"value\":\"not json\"}");
    assertThat(JsonParquet.row("[1,2]").toString()).isEqualTo("{\"value\":[1,2]}");
  }

  @Test
  void aPartThatIsNotKilnsParquetIsRefused() throws Exception {
    byte[] nested = "PAR1 not really".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> merge(List.of(nested)))
        .isInstanceOf(BadParquetException.class)
        .hasMessageContaining("PAR1");
  }

  @Test
  void noRowsAtAllStillMakeAReadableFile() throws Exception {
    byte[] merged = merge(List.of(new byte[0], new byte[0]));
    assertThat(rows(merged)).isEmpty();
    assertThat(ParquetFooter.read(ParquetRowsTest.ranges(merged), merged.length).rows()).isZero();
  }
}
