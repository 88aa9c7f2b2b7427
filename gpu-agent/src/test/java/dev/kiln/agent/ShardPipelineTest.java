package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.ParseProcessor;
import dev.kiln.agent.processor.ShardContext;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.InputFormat;
import dev.kiln.model.plan.ByteRange;
import dev.kiln.model.plan.ByteSource;
import dev.kiln.model.plan.RecordSyntax;
import dev.kiln.model.plan.RecordTooLongException;
import dev.kiln.protocol.queue.ShardTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Alignment, batching and processing of shards cut at every size: each record exactly once. */
class ShardPipelineTest {
  private static final ExecutorService IO = Executors.newCachedThreadPool();
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterAll
  static void stopIo() {
    IO.shutdownNow();
  }

  static byte[] csvInput(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder("id,name,score\r\n");
    for (int i = 0; i < rows; i++) {
      String name =
          random.nextInt(5) == 0 ? "\"a, \"\"quoted\"\" one\"" : "n" + random.nextInt(1000);
      text.append(i).append(',').append(name).append(',').append(random.nextDouble());
      text.append(random.nextInt(7) == 0 ? "\r\n" : "\n");
      if (random.nextInt(50) == 0) {
        text.append('\n'); // blank lines are not records
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  record Result(List<JsonNode> records, List<JsonNode> errors, long recordCount) {}

  static Result runShard(byte[] input, ShardTask task, int batchSize, int maxRecordBytes)
      throws Exception {
    InputFormat format = InputFormat.parse(task.format()).orElseThrow();
    List<String> columns = format == InputFormat.CSV ? Csv.split(task.header()) : List.<String>of();
    int to = (int) Math.min(input.length, task.end() + maxRecordBytes + 1L);
    ByteSource source =
        from -> new ByteArrayInputStream(input, (int) from, Math.max(0, to - (int) from));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    ShardExecutor.Counts counts;
    try (RecordBatches batches =
            new RecordBatches(
                source,
                task.start(),
                task.end(),
                format == InputFormat.CSV ? RecordSyntax.CSV : RecordSyntax.LINES,
                format == InputFormat.CSV,
                maxRecordBytes,
                batchSize,
                1 << 20,
                2,
                IO);
        ShardRun run =
            new ParseProcessor()
                .open(new ShardContext(task, format, columns, batchSize, model -> null))) {
      PartSink sink = new PartSink(out, () -> errors);
      counts = ShardExecutor.run(run, batches, sink, () -> false);
    }
    assertThat(counts.outputBytes()).isEqualTo(out.size());
    return new Result(lines(out), lines(errors), counts.records());
  }

  static List<JsonNode> lines(ByteArrayOutputStream bytes) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    String text = bytes.toString(StandardCharsets.UTF_8);
    if (!text.isEmpty()) {
      assertThat(text).endsWith("\n");
      for (String line : text.split("\n", -1)) {
        if (!line.isEmpty()) {
          nodes.add(JSON.readTree(line));
        }
      }
    }
    return nodes;
  }

  static ShardTask task(String format, String header, long start, long end, long size) {
    return new ShardTask(
        UUID.randomUUID(),
        0,
        UUID.randomUUID(),
        "parse",
        0,
        3,
        "in",
        "key",
        start,
        end,
        size,
        format,
        header,
        null,
        null,
        Map.of(),
        "out");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16, 31, 64, 100, 257, 1000, 4096, 100_000})
  void everyCsvRecordComesOutOnceAndInOrderWhateverTheShardSize(int shardBytes) throws Exception {
    byte[] input = csvInput(700, shardBytes);
    List<Long> ids = new ArrayList<>();
    for (long start = 0; start < input.length; start += shardBytes) {
      long end = Math.min(input.length, start + shardBytes);
      Result result =
          runShard(input, task("CSV", "id,name,score", start, end, input.length), 13, 4096);
      assertThat(result.errors()).isEmpty();
      assertThat(result.recordCount()).isEqualTo(result.records().size());
      for (JsonNode node : result.records()) {
        ids.add(node.get("id").asLong());
        assertThat(node.get("_fields").asInt()).isEqualTo(3);
      }
    }
    assertThat(ids).hasSize(700);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(i);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 64, 999})
  void jsonLinesSplitAtAnySizeKeepEveryRecordAndCountBadOnes(int shardBytes) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      text.append(
          i % 50 == 49 ? "{\"id\": " + i + ", broken\n" : "{\"id\":" + i + ",\"x\":[1,2]}\n");
    }
    byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
    List<Long> ids = new ArrayList<>();
    List<Long> errorOffsets = new ArrayList<>();
    for (long start = 0; start < input.length; start += shardBytes) {
      long end = Math.min(input.length, start + shardBytes);
      Result result = runShard(input, task("JSONL", null, start, end, input.length), 8, 4096);
      result.records().forEach(n -> ids.add(n.get("id").asLong()));
      for (JsonNode error : result.errors()) {
        errorOffsets.add(error.get("offset").asLong());
        assertThat(error.get("message").asText()).startsWith("not JSON");
        assertThat(error.get("newlines").asLong()).isNotNegative();
      }
    }
    assertThat(ids).hasSize(294).isSorted();
    assertThat(errorOffsets).hasSize(6);
    for (long offset : errorOffsets) {
      assertThat(new String(input, (int) offset, 12, StandardCharsets.UTF_8))
          .startsWith("{\"id\": ");
    }
  }

  @Test
  void errorLinesCountRecordsWithinTheShard() throws Exception {
    byte[] input = "id,a\n1,x\n2\n3,z\n4,w,extra\n".getBytes(StandardCharsets.UTF_8);
    Result result = runShard(input, task("CSV", "id,a", 0, input.length, input.length), 2, 1024);
    assertThat(result.records()).extracting(n -> n.get("id").asText()).containsExactly("1", "3");
    assertThat(result.errors()).extracting(n -> n.get("newlines").asLong()).containsExactly(2L, 4L);
    assertThat(result.errors())
        .extracting(n -> n.get("record").asText())
        .containsExactly("2", "4,w,extra");
    assertThat(result.errors().get(0).get("message").asText())
        .isEqualTo("expected 2 columns, found 1");
    assertThat(result.recordCount()).isEqualTo(4);
  }

  @Test
  void anEmptyShardWritesAnEmptyPart() throws Exception {
    Result empty = runShard(new byte[0], task("JSONL", null, 0, 0, 0), 4, 1024);
    assertThat(empty.records()).isEmpty();
    assertThat(empty.recordCount()).isZero();
    byte[] headerOnly = "id,a\n".getBytes(StandardCharsets.UTF_8);
    Result onlyHeader =
        runShard(headerOnly, task("CSV", "id,a", 0, headerOnly.length, headerOnly.length), 4, 1024);
    assertThat(onlyHeader.recordCount()).isZero();
  }

  @Test
  void anOverLongRecordFailsTheShardWithItsOffset() {
    byte[] input = ("{\"id\":1}\n{\"id\":\"" + "x".repeat(5000) + "\"}\n").getBytes();
    assertThatThrownBy(
            () -> runShard(input, task("JSONL", null, 0, input.length, input.length), 4, 1024))
        .isInstanceOf(RecordTooLongException.class)
        .hasMessageContaining("byte 9");
  }

  @Test
  void quotedLineBreaksMakeOneRecordAtEveryShardSize() throws Exception {
    byte[] input =
        "id,text\n1,\"multi\nline\"\n2,plain\n3,\"a \"\"quote\"\",\r\nand more\"\n"
            .getBytes(StandardCharsets.UTF_8);
    for (int shardBytes = 1; shardBytes <= input.length; shardBytes++) {
      List<String> texts = new ArrayList<>();
      long errors = 0;
      for (int start = 0; start < input.length; start += shardBytes) {
        int end = Math.min(input.length, start + shardBytes);
        Result result = runShard(input, task("CSV", "id,text", start, end, input.length), 2, 1024);
        result.records().forEach(n -> texts.add(n.get("text").asText()));
        errors += result.errors().size();
      }
      assertThat(texts)
          .as("shards of %d bytes", shardBytes)
          .containsExactly("multi\nline", "plain", "a \"quote\",\r\nand more");
      assertThat(errors).isZero();
    }
  }

  @Test
  void batchesNeverExceedTheirSizeAndComeInOrder() throws Exception {
    byte[] input = csvInput(1000, 1);
    List<Integer> sizes = new ArrayList<>();
    long expectedFirst = 1;
    try (RecordBatches batches =
        new RecordBatches(
            from -> new ByteArrayInputStream(input),
            0,
            input.length,
            RecordSyntax.CSV,
            true,
            1024,
            64,
            1 << 20,
            1,
            IO)) {
      RecordBatches.Batch batch;
      while ((batch = batches.next()) != null) {
        assertThat(batch.firstRecord()).isEqualTo(expectedFirst);
        expectedFirst += batch.records().size();
        sizes.add(batch.records().size());
      }
    }
    assertThat(sizes).allMatch(s -> s <= 64 && s > 0);
    assertThat(expectedFirst - 1).isEqualTo(1000);
  }

  @Test
  void aFailingInputIsReportedToTheConsumer() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    RecordBatches batches =
        new RecordBatches(
            from -> broken, 0, 100, RecordSyntax.LINES, false, 1024, 4, 1 << 20, 1, IO);
    assertThatThrownBy(batches::next).hasMessageContaining("connection reset");
    batches.close();
  }

  @Test
  void plannedShardsOfTheRealPlannerCoverEveryRecord() throws Exception {
    byte[] input = csvInput(5000, 99);
    List<ByteRange> ranges =
        new dev.kiln.model.plan.ShardPlanner(10_000)
            .plan(List.of((long) input.length), 64 * 1024, true);
    long total = 0;
    for (ByteRange range : ranges) {
      total +=
          runShard(
                  input,
                  task("CSV", "id,name,score", range.start(), range.end(), input.length),
                  256,
                  1 << 16)
              .recordCount();
    }
    assertThat(total).isEqualTo(5000);
  }
}
