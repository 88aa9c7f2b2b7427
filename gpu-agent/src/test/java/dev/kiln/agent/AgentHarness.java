package dev.kiln.agent;

import dev.kiln.agent.processor.ParseProcessor;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.Processors;
import dev.kiln.agent.tf.TfSavedModelProcessor;
import dev.kiln.model.plan.ByteRange;
import dev.kiln.model.plan.ShardPlanner;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Builds agents, inputs and shard tasks against a test stack's S3. */
final class AgentHarness {
  final TestStack stack;
  final ObjectStore store;
  final UUID owner = UUID.randomUUID();

  AgentHarness(TestStack stack) {
    this.stack = stack;
    this.store =
        ObjectStore.create(
            S3Settings.compatible(
                    stack.s3().endpoint(),
                    stack.s3().region(),
                    stack.s3().accessKey(),
                    stack.s3().secretKey())
                .withBuckets(stack.uploadsBucket(), stack.resultsBucket()));
  }

  AgentConfig config(String agentId, Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(env(agentId, Map.of()));
    settings.putAll(secrets());
    settings.putAll(overrides);
    return AgentConfig.fromEnvironment(settings);
  }

  /** The S3 keys of this stack, which an agent process gets on standard input. */
  Map<String, String> secrets() {
    return Map.of(
        "KILN_S3_ACCESS_KEY", stack.s3().accessKey(), "KILN_S3_SECRET_KEY", stack.s3().secretKey());
  }

  /** The environment of an agent process against this stack, without its secrets. */
  Map<String, String> env(String agentId, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("KILN_AGENT_ID", agentId);
    env.put("KILN_AGENT_HEARTBEAT_SECONDS", "1");
    env.put("KILN_AGENT_VISIBILITY_SECONDS", "10");
    env.put("KILN_AGENT_POLL_MILLIS", "50");
    env.put("KILN_AGENT_WORK_DIR", stack.tempDir().resolve(agentId).toString());
    env.put("KILN_REDIS_URI", stack.redisUri());
    env.put("KILN_S3_ENDPOINT", stack.s3().endpoint().toString());
    env.put("KILN_S3_REGION", stack.s3().region());
    env.put("KILN_S3_UPLOADS_BUCKET", stack.uploadsBucket());
    env.put("KILN_S3_RESULTS_BUCKET", stack.resultsBucket());
    env.put("KILN_IMDS_ENDPOINT", "off");
    env.putAll(overrides);
    return env;
  }

  static Processors processors() {
    List<Processor> list =
        List.of(new ParseProcessor(), new TfSavedModelProcessor(), new SlowProcessor());
    return new Processors(list);
  }

  static AgentMetadata metadata() {
    return new AgentMetadata(
        "i-test", "local", "", "test", "none", "CPU", Set.of("parse", "tf-savedmodel", "slow"));
  }

  String upload(String name, byte[] bytes) {
    String key = owner + "/" + UUID.randomUUID() + "/" + name;
    store.put(stack.uploadsBucket(), key, bytes);
    return key;
  }

  /** The shards of one job over one uploaded input, planned by the real planner. */
  List<ShardTask> job(
      String processor,
      String inputKey,
      long size,
      long shardBytes,
      String format,
      String header,
      String modelKey,
      Map<String, String> params) {
    UUID jobId = UUID.randomUUID();
    // the API records the model's ETag when its upload is completed
    String modelEtag =
        modelKey == null
            ? null
            : store.head(stack.uploadsBucket(), modelKey).map(ObjectInfo::etag).orElseThrow();
    List<ShardTask> tasks = new ArrayList<>();
    List<ByteRange> ranges = new ShardPlanner(10_000).plan(List.of(size), shardBytes, true);
    for (int i = 0; i < ranges.size(); i++) {
      ByteRange range = ranges.get(i);
      tasks.add(
          new ShardTask(
              jobId,
              i,
              owner,
              processor,
              0,
              3,
              stack.uploadsBucket(),
              inputKey,
              range.start(),
              range.end(),
              size,
              format,
              header,
              modelKey,
              modelEtag,
              params,
              stack.resultsBucket()));
    }
    return tasks;
  }

  /** The job's parts concatenated in shard order, as the assembler does. */
  String assemble(List<ShardTask> tasks, Map<String, ShardResult> completed) {
    StringBuilder out = new StringBuilder();
    for (ShardTask task : tasks) {
      ShardResult result = completed.get(TestWorkQueue.key(task.jobId(), task.idx()));
      byte[] part =
          store.readRange(stack.resultsBucket(), result.outputKey(), 0, result.outputBytes());
      out.append(new String(part, java.nio.charset.StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  Agent agent(AgentConfig config, TestWorkQueue queue, AgentRegistry registry) {
    return new Agent(config, queue, store, processors(), registry, metadata(), Clock.systemUTC());
  }
}
