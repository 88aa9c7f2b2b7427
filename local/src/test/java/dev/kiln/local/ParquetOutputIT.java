package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.protocol.parquet.ParquetFooter;
import dev.kiln.protocol.parquet.ParquetLayout;
import dev.kiln.protocol.parquet.ParquetRowWriter;
import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import dev.kiln.protocol.parquet.ParquetRows;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs asking for {@code outputFormat=parquet}, through the whole platform: over a CSV file and
 * over a Parquet file, each cut into several shards, the output is one Parquet file whose rows are
 * the input's records, each once, in input order, with typed columns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParquetOutputIT {
  private static final int SHARD_BYTES = 64 * 1024;
  private static final int ROWS = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path dataDir;
  private LocalPlatform platform;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dataDir = tempDir;
    platform = LocalPlatform.start(TestSettings.withAgents(dataDir, 1));
  }

  @AfterAll
  void stop() {
    platform.close();
  }

  /** Runs {@code parse} over {@code file} with Parquet output; answers the output's bytes. */
  private byte[] parseToParquet(Path file, String outputName) throws Exception {
    KilnClient owner = platform.client();
    FileView input = owner.upload(file);
    JobParams params = new JobParams((long) SHARD_BYTES, null, null, null, null, 1, "parquet");
    JobView job =
        owner.awaitJob(
            owner
                .submit(new JobCreateRequest("parse", List.of(input.id()), null, params, 0), null)
                .id(),
            Duration.ofMinutes(3));
    assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.progress().shardsTotal()).as("several shards").isGreaterThan(3);
    assertThat(job.progress().records()).isEqualTo(ROWS);
    assertThat(owner.outputLink(job.id(), 0).name()).isEqualTo(outputName);
    return Files.readAllBytes(owner.downloadOutput(job.id(), 0, dataDir.resolve(outputName)));
  }

  private static List<JsonNode> rows(byte[] file) throws Exception {
    RangeReader ranges =
        (offset, length) ->
            Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + length));
    List<JsonNode> rows = new ArrayList<>();
    try (ParquetRows reader = new ParquetRows(ranges, file.length, 0, file.length)) {
      for (LineRecord record = reader.next(); record != null; record = reader.next()) {
        rows.add(JSON.readTree(record.text()));
      }
    }
    return rows;
  }

  private static ParquetLayout layout(byte[] file) throws Exception {
    return ParquetFooter.read(
        (offset, length) ->
            Arrays.copyOfRange(file, (int) offset, (int) Math.min(file.length, offset + length)),
        file.length);
  }

  private static PrimitiveTypeName type(ParquetLayout layout, String column) {
    return layout.schema().getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  @Test
  void aCsvInputBecomesOneParquetFileOfItsRowsInOrder() throws Exception {
    StringBuilder csv = new StringBuilder("name,amount\n");
    List<Long> lineStarts = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      lineStarts.add((long) csv.toString().getBytes(StandardCharsets.UTF_8).length);
      csv.append("item ").append(i).append(",").append(i * 3).append('\n');
    }
    Path file = Files.writeString(dataDir.resolve("items.csv"), csv.toString());

    byte[] output = parseToParquet(file, "items.csv.out.parquet");

    ParquetLayout layout = layout(output);
    assertThat(layout.rowGroups().size()).as("a row group per shard at least").isGreaterThan(3);
    assertThat(type(layout, "name")).isEqualTo(PrimitiveTypeName.BINARY);
    assertThat(type(layout, "_offset")).isEqualTo(PrimitiveTypeName.INT64);
    List<JsonNode> rows = rows(output);
    assertThat(rows).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("name").asText()).as(row.toString()).isEqualTo("item " + i);
      assertThat(row.get("amount").asText()).as(row.toString()).isEqualTo(String.valueOf(i * 3));
      assertThat(row.get("_offset").asLong()).as("the line's offset").isEqualTo(lineStarts.get(i));
    }
  }

  private static List<Object> row(int i) {
    return Arrays.asList((long) i, i % 11 == 0 ? null : "text of row " + i, i * 0.25, i % 2 == 1);
  }

  @Test
  void aParquetInputBecomesOneParquetFileOfItsRowsInOrderWithTheirTypes() throws Exception {
    List<Column> columns =
        List.of(
            new Column("id", ColumnType.LONG),
            new Column("text", ColumnType.STRING),
            new Column("score", ColumnType.DOUBLE),
            new Column("odd", ColumnType.BOOLEAN));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParquetRowWriter writer = new ParquetRowWriter(bytes, columns, 500, Codec.SNAPPY)) {
      for (int i = 0; i < ROWS; i++) {
        writer.write(row(i));
      }
    }
    Path file = Files.write(dataDir.resolve("rows.parquet"), bytes.toByteArray());

    byte[] output = parseToParquet(file, "rows.parquet.out.parquet");

    ParquetLayout layout = layout(output);
    assertThat(type(layout, "id")).isEqualTo(PrimitiveTypeName.INT64);
    assertThat(type(layout, "score")).isEqualTo(PrimitiveTypeName.DOUBLE);
    assertThat(type(layout, "odd")).isEqualTo(PrimitiveTypeName.BOOLEAN);
    List<JsonNode> rows = rows(output);
    assertThat(rows).hasSize(ROWS);
    for (int i = 0; i < ROWS; i++) {
      JsonNode row = rows.get(i);
      List<Object> expected = row(i);
      assertThat(row.get("id").longValue()).as(row.toString()).isEqualTo(i);
      assertThat(row.get("text").isNull() ? null : row.get("text").asText())
          .as(row.toString())
          .isEqualTo(expected.get(1));
      assertThat(row.get("score").doubleValue()).isEqualTo(expected.get(2));
      assertThat(row.get("odd").booleanValue()).isEqualTo(expected.get(3));
      assertThat(row.get("_offset").longValue()).as("the row number").isEqualTo(i);
    }
  }
}
