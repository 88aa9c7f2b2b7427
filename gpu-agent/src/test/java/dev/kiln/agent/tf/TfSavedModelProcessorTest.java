package dev.kiln.agent.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.LocalShardRunner;
import dev.kiln.agent.demo.DemoData;
import dev.kiln.agent.demo.DemoModel;
import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.protocol.parquet.ParquetRowWriter;
import dev.kiln.protocol.parquet.ParquetRowWriter.Codec;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import dev.kiln.protocol.queue.ShardTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfSavedModelProcessorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path model;
  static TfSavedModelProcessor processor;
  static ModelFiles models;

  @BeforeAll
  static void buildModel() throws Exception {
    model = DemoModel.build(dir.resolve("model"));
    processor = new TfSavedModelProcessor();
    models = ref -> model;
  }

  @AfterAll
  static void closeProcessor() {
    processor.close();
  }

  record Output(String text, List<JsonNode> errors, LocalShardRunner.Outcome outcome) {}

  static Output run(byte[] input, ShardTask task, int batchSize) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    LocalShardRunner.Outcome outcome =
        LocalShardRunner.run(
            processor,
            task,
            from -> new ByteArrayInputStream(input, (int) from, input.length - (int) from),
            models,
            batchSize,
            1 << 16,
            out,
            errors);
    List<JsonNode> errorLines = new ArrayList<>();
    for (String line : errors.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        errorLines.add(JSON.readTree(line));
      }
    }
    return new Output(out.toString(StandardCharsets.UTF_8), errorLines, outcome);
  }

  static ShardTask task(String format, String header, long start, long end, long size) {
    return task(format, header, start, end, size, Map.of());
  }

  static ShardTask task(
      String format, String header, long start, long end, long size, Map<String, String> params) {
    return new ShardTask(
        UUID.randomUUID(),
        0,
        UUID.randomUUID(),
        "tf-savedmodel",
        0,
        3,
        "in",
        "key",
        start,
        end,
        size,
        format,
        header,
        "models/demo.zip",
        "etag",
        params,
        "out");
  }

  static byte[] demo(int rows, boolean jsonLines) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoData.write(bytes, rows, jsonLines, 11);
    return bytes.toByteArray();
  }

  static float[] features(String csvRow) {
    String[] f = csvRow.split(",");
    return new float[] {
      Float.parseFloat(f[1]), Float.parseFloat(f[2]), Float.parseFloat(f[3]), Float.parseFloat(f[4])
    };
  }

  @Test
  void csvShardsWritePredictionsInOrderWithTheHeaderOnTheFirstShardOnly() throws Exception {
    byte[] input = demo(1000, false);
    String[] rows = new String(input, StandardCharsets.UTF_8).split("\n");
    List<String> out = new ArrayList<>();
    int shardBytes = 4096;
    for (long start = 0; start < input.length; start += shardBytes) {
      long end = Math.min(input.length, start + shardBytes);
      Output result = run(input, task("CSV", DemoData.CSV_HEADER, start, end, input.length), 64);
      assertThat(result.errors()).isEmpty();
      List<String> lines = List.of(result.text().split("\n"));
      if (start == 0) {
        assertThat(lines.get(0))
            .isEqualTo("id,class_id,probabilities_0,probabilities_1,probabilities_2");
        lines = lines.subList(1, lines.size());
      }
      out.addAll(lines);
    }
    assertThat(out).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      String[] fields = out.get(i).split(",");
      assertThat(fields[0]).isEqualTo(String.valueOf(i));
      assertThat(DemoModel.agrees(features(rows[i + 1]), Integer.parseInt(fields[1])))
          .as("row %d: class %s", i, fields[1])
          .isTrue();
      double sum =
          Double.parseDouble(fields[2])
              + Double.parseDouble(fields[3])
              + Double.parseDouble(fields[4]);
      assertThat(sum).isBetween(0.999, 1.001);
    }
  }

  @Test
  void jsonLinesKeepTheIdAndGiveEachOutput() throws Exception {
    byte[] input = demo(300, true);
    Output result =
        run(
            input,
            task("JSONL", null, 0, input.length, input.length, Map.of("outputs", "class_id")),
            32);
    List<String> lines = List.of(result.text().split("\n"));
    assertThat(lines).hasSize(300);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("id").asInt()).isZero();
    assertThat(first.has("probabilities")).isFalse();
    assertThat(first.get("class_id").asInt()).isBetween(0, 2);
    assertThat(result.outcome().records()).isEqualTo(300);
  }

  @Test
  void badRowsGoToTheErrorPartWithTheirLineAndTheShardGoesOn() throws Exception {
    String text =
        DemoData.CSV_HEADER
            + "\n0,5.1,3.5,1.4,0.2,setosa\n1,abc,3.5,1.4,0.2,setosa\n2,6.3,2.9\n3,6.5,3.0,5.5,2.0,virginica\n";
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    Output result = run(input, task("CSV", DemoData.CSV_HEADER, 0, input.length, input.length), 8);
    assertThat(result.text().split("\n")).hasSize(3);
    assertThat(result.outcome().errors()).isEqualTo(2);
    assertThat(result.errors().get(0).get("newlines").asInt()).isEqualTo(2);
    assertThat(result.errors().get(0).get("record").asText()).isEqualTo("1,abc,3.5,1.4,0.2,setosa");
    assertThat(result.errors().get(0).get("message").asText())
        .isEqualTo("column 'sepal_length' is not a float32 number: 'abc'");
    assertThat(result.errors().get(1).get("message").asText())
        .isEqualTo("expected 6 columns, found 3");
  }

  @Test
  void aHeaderWithoutAModelInputFailsTheShardNamingTheColumn() {
    String header = "id,sepal_length,sepal_width,petal_length,species";
    byte[] input = (header + "\n1,1,2,3,x\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> run(input, task("CSV", header, 0, input.length, input.length), 8))
        .isInstanceOfSatisfying(ProcessorException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("'petal_width' (float32 [-1])");
  }

  @Test
  void aMistypedJsonKeyFailsTheFirstBatchNamingTheColumn() {
    byte[] input =
        ("{\"id\":1,\"sepal_length\":5,\"sepal_width\":3,\"petal_length\":1,\"petal_width\":\"wide\"}\n"
                .repeat(5))
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> run(input, task("JSONL", null, 0, input.length, input.length), 8))
        .isInstanceOfSatisfying(ProcessorException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("'petal_width' (float32 [-1])")
        .hasMessageContaining("'wide'");
  }

  /**
   * The demo rows as a Parquet file of row groups of 64 rows; row {@code missing} lacks
   * petal_width.
   */
  static byte[] demoParquet(String[] csvRows, int missing) throws Exception {
    List<Column> columns = new ArrayList<>();
    columns.add(new Column("id", ColumnType.LONG));
    for (String feature : DemoModel.FEATURES) {
      columns.add(new Column(feature, ColumnType.DOUBLE));
    }
    columns.add(new Column("species", ColumnType.STRING));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ParquetRowWriter writer = new ParquetRowWriter(bytes, columns, 64, Codec.ZSTD)) {
      for (int i = 1; i < csvRows.length; i++) {
        String[] f = csvRows[i].split(",");
        writer.write(
            Arrays.asList(
                Long.parseLong(f[0]),
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                i - 1 == missing ? null : Double.parseDouble(f[4]),
                f[5]));
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void parquetRowsFeedTheModelByColumnAndABadRowIsNamedByItsRowInTheFile() throws Exception {
    String[] rows = new String(demo(500, false), StandardCharsets.UTF_8).split("\n");
    byte[] input = demoParquet(rows, 321);
    String header = "id," + String.join(",", DemoModel.FEATURES);

    Output result = run(input, task("PARQUET", header, 0, input.length, input.length), 32);

    List<String> lines = List.of(result.text().split("\n"));
    assertThat(lines).hasSize(499);
    assertThat(result.errors()).hasSize(1);
    JsonNode error = result.errors().get(0);
    assertThat(error.get("offset").asLong()).isEqualTo(321);
    assertThat(error.get("newlines").asLong()).isEqualTo(321);
    assertThat(error.get("message").asText()).isEqualTo("column 'petal_width' is missing");
    for (int i = 0, line = 0; i < 500; i++) {
      if (i == 321) {
        continue;
      }
      JsonNode out = JSON.readTree(lines.get(line++));
      assertThat(out.get("id").asInt()).isEqualTo(i);
      assertThat(DemoModel.agrees(features(rows[i + 1]), out.get("class_id").asInt()))
          .as("row %d: class %s", i, out.get("class_id"))
          .isTrue();
    }
  }

  @Test
  void aParquetFileWithoutAModelInputFailsNamingItsNumericColumns() throws Exception {
    byte[] input = demoParquet(new String(demo(10, false), StandardCharsets.UTF_8).split("\n"), -1);
    String header = "id,sepal_length,sepal_width,petal_length";
    assertThatThrownBy(() -> run(input, task("PARQUET", header, 0, input.length, input.length), 8))
        .isInstanceOfSatisfying(ProcessorException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("'petal_width' (float32 [-1])")
        .hasMessageContaining("the Parquet file's numeric columns are [id, sepal_length");
  }

  @Test
  void aZipWithoutASavedModelIsAFinalError() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("not-a-model"));
    Files.writeString(empty.resolve("readme.txt"), "hello");
    assertThatThrownBy(
            () -> LoadedModel.load(empty, "serving_default", TfThreads.TENSORFLOW_DEFAULTS))
        .isInstanceOfSatisfying(ProcessorException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("saved_model.pb");
  }

  @Test
  void theModelIsLoadedOnceForManyShards() throws Exception {
    byte[] input = demo(50, true);
    for (int i = 0; i < 5; i++) {
      run(input, task("JSONL", null, 0, input.length, input.length), 16);
    }
    assertThat(processor.loadedModels()).isEqualTo(1);
  }

  @Test
  void theDeviceIsNamed() {
    assertThat(processor.describe()).isIn("CPU").doesNotContain("unknown");
  }
}
