package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.demo.DemoData;
import dev.kiln.agent.demo.DemoModel;
import dev.kiln.agent.tf.TestModels;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent end to end against real S3: leasing, processing, reporting, bad input, cancel. */
@ExtendWith(KilnStackExtension.class)
class AgentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final AgentHarness harness;
  private final TestWorkQueue queue = new TestWorkQueue(Clock.systemUTC());
  private Agent agent;

  AgentIT(TestStack stack) {
    this.harness = new AgentHarness(stack);
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  private Agent start(String id, Map<String, String> env) {
    agent = harness.agent(harness.config(id, env), queue, AgentRegistry.NONE);
    agent.start();
    return agent;
  }

  private void awaitReported(List<ShardTask> tasks) {
    await()
        .atMost(WAIT)
        .until(() -> queue.completed().size() + queue.failures().size() >= tasks.size());
  }

  @Test
  void parsesAManyShardCsvJobIntoPartsThatAssembleInOrder() throws Exception {
    StringBuilder csv = new StringBuilder("id,name,value\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",name ").append(i % 97).append(',').append(i * 0.5).append('\n');
    }
    byte[] input = csv.toString().getBytes(StandardCharsets.UTF_8);
    String key = harness.upload("rows.csv", input);
    List<ShardTask> tasks =
        harness.job("parse", key, input.length, 64 * 1024, "CSV", "id,name,value", null, Map.of());
    assertThat(tasks.size()).isGreaterThan(4);
    queue.enqueue(tasks);
    start("agent-parse", Map.of("KILN_AGENT_LEASE_BATCH", "3"));
    awaitReported(tasks);

    assertThat(queue.failures()).isEmpty();
    Map<String, ShardResult> completed = queue.completed();
    String output = harness.assemble(tasks, completed);
    String[] lines = output.split("\n");
    assertThat(lines).hasSize(20_000);
    for (int i = 0; i < lines.length; i++) {
      JsonNode node = JSON.readTree(lines[i]);
      assertThat(node.get("id").asText()).isEqualTo(String.valueOf(i));
      assertThat(node.get("_fields").asInt()).isEqualTo(3);
    }
    long records = completed.values().stream().mapToLong(ShardResult::records).sum();
    assertThat(records).isEqualTo(20_000);
    assertThat(completed.values()).allSatisfy(r -> assertThat(r.busySeconds()).isPositive());
    assertThat(completed.values()).allSatisfy(r -> assertThat(r.errorKey()).isNull());
    assertThat(agent.shardsDone()).isEqualTo(tasks.size());
  }

  @Test
  void scoresDemoDataWithTheDemoModelLoadingItOnce() throws Exception {
    Path modelZip =
        DemoModel.buildZip(harness.stack.tempDir(), harness.stack.tempDir().resolve("demo.zip"));
    String modelKey = harness.upload("demo.zip", Files.readAllBytes(modelZip));
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    DemoData.write(data, 8000, true, 3);
    byte[] input = data.toByteArray();
    String key = harness.upload("iris.jsonl", input);
    List<ShardTask> tasks =
        harness.job(
            "tf-savedmodel",
            key,
            input.length,
            64 * 1024,
            "JSONL",
            null,
            modelKey,
            Map.of("batchSize", "100"));
    queue.enqueue(tasks);
    start("agent-tf", Map.of());
    awaitReported(tasks);

    assertThat(queue.failures()).isEmpty();
    String[] inputLines = new String(input, StandardCharsets.UTF_8).split("\n");
    String[] lines = harness.assemble(tasks, queue.completed()).split("\n");
    assertThat(lines).hasSize(8000);
    for (int i = 0; i < lines.length; i++) {
      JsonNode out = JSON.readTree(lines[i]);
      JsonNode in = JSON.readTree(inputLines[i]);
      assertThat(out.get("id").asInt()).isEqualTo(i);
      float[] x = new float[4];
      for (int j = 0; j < 4; j++) {
        x[j] = (float) in.get(DemoModel.FEATURES.get(j)).asDouble();
      }
      assertThat(DemoModel.agrees(x, out.get("class_id").asInt())).as("record %d", i).isTrue();
      assertThat(out.get("probabilities")).hasSize(3);
    }
    Path cache = harness.stack.tempDir().resolve("agent-tf").resolve("models");
    try (Stream<Path> models = Files.list(cache)) {
      assertThat(models.toList()).hasSize(1);
    }
  }

  @Test
  void badInputFailsShardsClearlyAndTheAgentGoesOn() throws Exception {
    Path modelZip =
        DemoModel.buildZip(harness.stack.tempDir(), harness.stack.tempDir().resolve("bad.zip"));
    String modelKey = harness.upload("demo.zip", Files.readAllBytes(modelZip));
    String header = "id,sepal_length,sepal_width,petal_length";
    byte[] mismatched = (header + "\n1,5.1,3.5,1.4\n").getBytes(StandardCharsets.UTF_8);
    List<ShardTask> mismatch =
        harness.job(
            "tf-savedmodel",
            harness.upload("m.csv", mismatched),
            mismatched.length,
            65536,
            "CSV",
            header,
            modelKey,
            Map.of());
    List<ShardTask> corrupt =
        harness.job(
            "tf-savedmodel",
            harness.upload("c.csv", mismatched),
            mismatched.length,
            65536,
            "CSV",
            header,
            harness.upload("corrupt.zip", "PK\3\4 this is no zip".getBytes()),
            Map.of());
    byte[] longLine = ("{\"id\":1}\n{\"id\":\"" + "x".repeat(3000) + "\"}\n").getBytes();
    List<ShardTask> tooLong =
        harness.job(
            "parse",
            harness.upload("l.jsonl", longLine),
            longLine.length,
            65536,
            "JSONL",
            null,
            null,
            Map.of());
    List<ShardTask> empty =
        harness.job(
            "parse",
            harness.upload("e.jsonl", new byte[0]),
            0,
            65536,
            "JSONL",
            null,
            null,
            Map.of());
    byte[] malformed = "{\"id\":1}\nnot json\n{\"id\":3}\n".getBytes(StandardCharsets.UTF_8);
    List<ShardTask> someBad =
        harness.job(
            "parse",
            harness.upload("b.jsonl", malformed),
            malformed.length,
            65536,
            "JSONL",
            null,
            null,
            Map.of());
    List<List<ShardTask>> jobs = List.of(mismatch, corrupt, tooLong, empty, someBad);
    jobs.forEach(queue::enqueue);
    start("agent-bad", Map.of("KILN_AGENT_MAX_RECORD_BYTES", "2048"));
    await().atMost(WAIT).until(() -> queue.completed().size() + queue.failures().size() == 5);

    assertThat(queue.failures()).hasSize(3).allSatisfy(f -> assertThat(f.retryable()).isFalse());
    assertThat(failureOf(mismatch)).contains("'petal_width' (float32 [-1])");
    assertThat(failureOf(corrupt)).contains("is not a valid zip file");
    assertThat(failureOf(tooLong)).contains("byte 9").contains("longer than 2048 bytes");

    ShardResult emptyResult = resultOf(empty);
    assertThat(emptyResult.records()).isZero();
    assertThat(emptyResult.outputBytes()).isZero();
    assertThat(harness.store.head(harness.stack.resultsBucket(), emptyResult.outputKey()))
        .hasValueSatisfying(info -> assertThat(info.sizeBytes()).isZero());

    ShardResult partly = resultOf(someBad);
    assertThat(partly.records()).isEqualTo(3);
    assertThat(partly.errors()).isEqualTo(1);
    String errors =
        new String(
            harness.store.readRange(harness.stack.resultsBucket(), partly.errorKey(), 0, 10_000),
            StandardCharsets.UTF_8);
    JsonNode error = JSON.readTree(errors.strip());
    assertThat(error.get("offset").asLong()).isEqualTo(9);
    assertThat(error.get("newlines").asLong()).isEqualTo(1);
    assertThat(error.get("record").asText()).isNotEmpty();
    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
  }

  @Test
  void untrustedModelsFailTheirShardsNotRetryableNamingWhy() throws Exception {
    Path dir = harness.stack.tempDir().resolve("untrusted");
    Path reader = dir.resolve("reader.zip");
    DemoModel.zip(TestModels.readingFile(dir.resolve("reader"), "/proc/self/environ"), reader);
    Path demo = DemoModel.buildZip(dir, dir.resolve("demo.zip"));
    byte[] input = "id,x\n1,0.5\n".getBytes(StandardCharsets.UTF_8);
    String inputKey = harness.upload("x.csv", input);
    String readerKey = harness.upload("reader.zip", Files.readAllBytes(reader));
    String changedKey = harness.upload("changed.zip", Files.readAllBytes(demo));
    List<ShardTask> readsFiles =
        harness.job(
            "tf-savedmodel", inputKey, input.length, 65536, "CSV", "id,x", readerKey, Map.of());
    List<ShardTask> changed =
        harness.job(
            "tf-savedmodel", inputKey, input.length, 65536, "CSV", "id,x", changedKey, Map.of());
    // after the upload was completed (and its ETag recorded), other bytes go to the same key
    harness.store.put(harness.stack.uploadsBucket(), changedKey, Files.readAllBytes(reader));
    queue.enqueue(readsFiles);
    queue.enqueue(changed);
    start("agent-untrusted", Map.of());
    await().atMost(WAIT).until(() -> queue.failures().size() == 2);

    assertThat(queue.completed()).isEmpty();
    assertThat(queue.failures()).allSatisfy(f -> assertThat(f.retryable()).isFalse());
    assertThat(failureOf(readsFiles)).contains("outside Kiln's allowlist: ReadFile");
    assertThat(failureOf(changed))
        .contains("the model file " + changedKey + " is not the file that was uploaded");
    assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
  }

  private String failureOf(List<ShardTask> job) {
    return queue.failures().stream()
        .filter(f -> f.ref().jobId().equals(job.get(0).jobId()))
        .findFirst()
        .orElseThrow()
        .error();
  }

  private ShardResult resultOf(List<ShardTask> job) {
    return queue.completed().get(TestWorkQueue.key(job.get(0).jobId(), 0));
  }

  @Test
  void aCancelledShardStopsAtItsNextBatchReportsNothingAndGivesItsLeaseBack() throws Exception {
    byte[] input = "a\nb\nc\nd\ne\nf\ng\nh\n".getBytes(StandardCharsets.UTF_8);
    List<ShardTask> tasks =
        harness.job(
            "slow",
            harness.upload("s.txt", input),
            input.length,
            65536,
            "TEXT",
            null,
            null,
            Map.of("batchSize", "1", "sleepMillis", "500"));
    queue.enqueue(tasks);
    start("agent-cancel", Map.of());
    await().atMost(WAIT).until(() -> agent.leases() == 1);
    queue.cancel(tasks.get(0).jobId());
    await().atMost(WAIT).until(() -> agent.leases() == 0);
    assertThat(queue.completed()).isEmpty();
    assertThat(queue.failures()).isEmpty();
    assertThat(queue.released()).extracting(ShardRef::idx).containsExactly(0);
    String part =
        dev.kiln.protocol.storage.ObjectKeys.part(harness.owner, tasks.get(0).jobId(), 0, 1);
    assertThat(harness.store.head(harness.stack.resultsBucket(), part)).isEmpty();
  }
}
