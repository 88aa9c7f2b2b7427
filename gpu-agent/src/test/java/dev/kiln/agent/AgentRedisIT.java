package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.drain.DrainSignals;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.fleet.AgentDrainMarks;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** The agent against the real Redis work queue and registry and real S3: run, register, drain. */
@ExtendWith(KilnStackExtension.class)
class AgentRedisIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static RedissonClient redisson;

  private final AgentHarness harness;
  private RedisWorkQueue queue;
  private Agent agent;

  AgentRedisIT(TestStack stack) {
    this.harness = new AgentHarness(stack);
  }

  @BeforeAll
  static void connect(TestStack stack) {
    redisson = RedisClients.create(stack.redisUri(), 4);
  }

  @AfterAll
  static void disconnect() {
    redisson.shutdown();
  }

  @BeforeEach
  void freshQueue() {
    redisson.getKeys().flushall();
    queue = new RedisWorkQueue(redisson, Clock.systemUTC());
    queue.ensureEpoch(1);
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  private Agent start(String id, Map<String, String> env) {
    agent =
        new Agent(
            harness.config(id, env),
            queue,
            harness.store,
            AgentHarness.processors(),
            new RedisAgentRegistry(redisson, Duration.ofSeconds(30)),
            AgentHarness.metadata(),
            Clock.systemUTC());
    agent.start();
    return agent;
  }

  private final List<QueueEvent> events = new ArrayList<>();

  private List<QueueEvent> drainEvents() {
    List<QueueEvent> read = queue.readEvents(1000);
    queue.acknowledge(read);
    events.addAll(read);
    return events;
  }

  @Test
  void servesItsMetricsInThePrometheusTextFormat() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      lines.append("{\"id\":").append(i).append("}\n");
    }
    byte[] input = lines.toString().getBytes(StandardCharsets.UTF_8);
    List<ShardTask> tasks =
        harness.job(
            "parse",
            harness.upload("metrics.jsonl", input),
            input.length,
            65_536,
            "JSONL",
            null,
            null,
            Map.of());
    assertThat(tasks.size()).isGreaterThan(1);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", 0), registry)) {
      agent =
          new Agent(
              harness.config("agent-metrics", Map.of()),
              queue,
              harness.store,
              AgentHarness.processors(),
              new RedisAgentRegistry(redisson, Duration.ofSeconds(30)),
              AgentHarness.metadata(),
              Clock.systemUTC(),
              AgentMetrics.registeredIn(registry));
      agent.start();
      assertThat(queue.enqueue(tasks)).hasValue(tasks.size());
      await().atMost(WAIT).until(() -> drainEvents().size() == tasks.size());

      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      String text = scrape.body();
      assertThat(sample(text, AgentMetrics.SHARDS + "_total{outcome=\"completed\"}"))
          .isEqualTo(tasks.size());
      assertThat(sample(text, AgentMetrics.SHARDS + "_total{outcome=\"failed\"}")).isZero();
      assertThat(sample(text, AgentMetrics.RECORDS + "_total")).isEqualTo(20_000);
      assertThat(sample(text, AgentMetrics.SERVICE + "_count")).isEqualTo(tasks.size());
      assertThat(sample(text, AgentMetrics.LEASE_TO_COMPLETION + "_count")).isEqualTo(tasks.size());
      assertThat(sample(text, AgentMetrics.LEASE_WAIT + "_count")).isPositive();
    }
  }

  /** The value of the sample named exactly {@code name} (with its labels) in the text format. */
  private static double sample(String text, String name) {
    return text.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).split(" ")[0]))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + " in\n" + text));
  }

  @Test
  void runsAJobFromTheRedisQueueAndRegistersItself() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      jsonl
          .append("{\"id\":")
          .append(i)
          .append(",\"v\":\"")
          .append("x".repeat(i % 40))
          .append("\"}\n");
    }
    byte[] input = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    List<ShardTask> tasks =
        harness.job(
            "parse",
            harness.upload("in.jsonl", input),
            input.length,
            65536,
            "JSONL",
            null,
            null,
            Map.of());
    assertThat(queue.enqueue(tasks)).hasValue(tasks.size());
    start("agent-redis", Map.of("KILN_AGENT_LEASE_BATCH", "3"));
    await().atMost(WAIT).until(() -> drainEvents().size() == tasks.size());

    Map<String, ShardResult> completed = new HashMap<>();
    for (QueueEvent event : events) {
      assertThat(event.isCompletion()).as("event %s", event).isTrue();
      completed.put(TestWorkQueue.key(event.jobId(), event.idx()), event.result());
    }
    String[] lines = harness.assemble(tasks, completed).split("\n");
    assertThat(lines).hasSize(10_000);
    for (int i = 0; i < lines.length; i++) {
      assertThat(JSON.readTree(lines[i]).get("id").asInt()).isEqualTo(i);
    }

    Map<String, String> registered =
        redisson
            .<String, String>getMap(RedisKeys.agent("agent-redis"), StringCodec.INSTANCE)
            .readAllMap();
    assertThat(registered)
        .containsEntry("state", AgentState.RUNNING.name())
        .containsEntry("instanceId", "i-test")
        .containsEntry("device", "CPU")
        .containsEntry("processors", "parse,slow,tf-savedmodel")
        .containsKey("lastHeartbeat");
    assertThat(Instant.parse(registered.get("lastHeartbeat")))
        .isAfter(Instant.now().minusSeconds(60));
    assertThat(redisson.getMap(RedisKeys.agent("agent-redis")).remainTimeToLive()).isPositive();

    agent.close();
    assertThat(redisson.getKeys().countExists(RedisKeys.agent("agent-redis"))).isZero();
  }

  private List<ShardTask> slowJob(int shards) {
    List<ShardTask> all = new ArrayList<>();
    java.util.UUID jobId = java.util.UUID.randomUUID();
    byte[] input = "1\n2\n3\n4\n5\n".getBytes(StandardCharsets.UTF_8);
    String key = harness.upload("slow.txt", input);
    for (int i = 0; i < shards; i++) {
      ShardTask one =
          harness
              .job(
                  "slow",
                  key,
                  input.length,
                  65536,
                  "TEXT",
                  null,
                  null,
                  Map.of("batchSize", "1", "sleepMillis", "500"))
              .get(0);
      all.add(
          new ShardTask(
              jobId,
              i,
              one.ownerId(),
              one.processor(),
              0,
              3,
              one.inputBucket(),
              one.inputKey(),
              one.start(),
              one.end(),
              one.objectSize(),
              one.format(),
              null,
              null,
              null,
              one.params(),
              one.resultsBucket()));
    }
    return all;
  }

  @Test
  void aRunningShardReportsHowFarItHasGotUntilItEnds() {
    List<ShardTask> tasks = slowJob(1);
    UUID jobId = tasks.get(0).jobId();
    RunningShards running = new RunningShards(redisson);
    List<UUID> news = new CopyOnWriteArrayList<>();
    JobNews.Subscription subscription = new JobNews(redisson).subscribe(news::add, () -> {});
    try {
      queue.enqueue(tasks);
      start("agent-progress", Map.of());
      await().atMost(WAIT).until(() -> running.of(jobId).records() >= 2);
      RunningShards.Summary midway = running.of(jobId);
      assertThat(midway.records()).as("records of the shard read so far").isBetween(2L, 5L);
      assertThat(midway.shards()).as("share of the shard's bytes").isGreaterThan(0).isLessThan(1);
      await().atMost(WAIT).until(() -> drainEvents().size() == 1);
      await().atMost(WAIT).until(() -> running.of(jobId).equals(RunningShards.Summary.NONE));
      assertThat(news).contains(jobId);
    } finally {
      subscription.close();
    }
  }

  @Test
  void stoppingReleasesWhatDoesNotFinishWithinTheGrace() {
    List<ShardTask> tasks = slowJob(3);
    queue.enqueue(tasks);
    start(
        "agent-stop", Map.of("KILN_AGENT_LEASE_BATCH", "3", "KILN_AGENT_DRAIN_GRACE_SECONDS", "1"));
    await().atMost(WAIT).until(() -> agent.leases() == 3);
    long started = System.nanoTime();
    agent.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(agent.leases()).isZero();
    assertThat(drainEvents()).isEmpty();
    QueueStats stats = queue.stats();
    assertThat(stats.leased()).isZero();
    assertThat(stats.ready() + stats.delayed()).isEqualTo(3);
  }

  @Test
  void aCancelledShardLeavesTheQueueAtOnceSoARetryRunsItWithoutWaitingForItsLease() {
    List<ShardTask> tasks = slowJob(1);
    queue.enqueue(tasks);
    start("agent-cancel", Map.of("KILN_AGENT_VISIBILITY_SECONDS", "600"));
    await().atMost(WAIT).until(() -> agent.leases() == 1);
    queue.cancelJob(tasks.get(0).jobId());
    await().atMost(WAIT).until(() -> agent.leases() == 0);
    assertThat(queue.stats().leased()).as("the cancelled lease is given back").isZero();
    assertThat(drainEvents()).isEmpty();

    queue.enqueue(tasks);
    await().atMost(WAIT).until(() -> drainEvents().size() == 1);
    assertThat(events.get(0).isCompletion()).isTrue();
  }

  @Test
  void aSpotNoticeFinishesWhatFitsAndReleasesTheRest() throws Exception {
    List<ShardTask> tasks = slowJob(4);
    queue.enqueue(tasks);
    try (FakeInstanceMetadata imds = new FakeInstanceMetadata()) {
      start("agent-spot", Map.of("KILN_AGENT_LEASE_BATCH", "3"));
      DrainSignals watcher =
          new DrainSignals(
              new InstanceMetadata(imds.endpoint(), Duration.ofSeconds(2)),
              Duration.ofSeconds(90),
              Duration.ofMillis(100),
              Clock.systemUTC());
      watcher.watch(signal -> agent.drain(signal.reason(), signal.grace()));
      await().atMost(WAIT).until(() -> agent.leases() == 3);
      Instant end = Instant.now().plus(DrainSignals.SAFETY_MARGIN).plusSeconds(5);
      imds.set("spot/instance-action", "{\"action\":\"terminate\",\"time\":\"" + end + "\"}");
      await().atMost(WAIT).until(() -> agent.state() == AgentState.DRAINING);
      await().atMost(WAIT).until(() -> agent.leases() == 0);
      watcher.close();
    }
    // How many shards fit before the notice's deadline depends on how fast this machine runs
    // them; what must hold: each one that ran finished whole, the rest went back to the queue,
    // and none is lost or still leased.
    List<QueueEvent> finished = drainEvents();
    assertThat(finished).allSatisfy(event -> assertThat(event.isCompletion()).isTrue());
    assertThat(finished).allSatisfy(event -> assertThat(event.result().records()).isEqualTo(5));
    QueueStats stats = queue.stats();
    assertThat(stats.leased()).isZero();
    assertThat(stats.ready() + stats.delayed()).as("released").isPositive();
    assertThat(finished.size() + stats.ready() + stats.delayed()).isEqualTo(tasks.size());
    Map<String, String> registered =
        redisson
            .<String, String>getMap(RedisKeys.agent("agent-spot"), StringCodec.INSTANCE)
            .readAllMap();
    assertThat(registered.get("state")).isEqualTo("DRAINING");
    assertThat(registered.get("drainReason")).contains("spot interruption");
  }

  @Test
  void anAgentWithAnOperatorsDrainMarkFinishesWhatItHoldsAndLeasesNothingMore() {
    List<ShardTask> tasks = slowJob(4);
    queue.enqueue(tasks);
    start("agent-marked", Map.of("KILN_AGENT_LEASE_BATCH", "1"));
    await().atMost(WAIT).until(() -> agent.leases() == 1);

    new AgentDrainMarks(redisson)
        .mark("agent-marked", "operator ops@example.com asked it to drain");

    await().atMost(WAIT).until(() -> agent.state() == AgentState.DRAINING);
    await().atMost(WAIT).until(() -> drainEvents().size() == 1 && agent.leases() == 0);
    assertThat(events.get(0).isCompletion()).as("the held shard finishes").isTrue();
    assertThat(events.get(0).result().records()).isEqualTo(5);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.leases() == 0 && queue.stats().leased() == 0);
    QueueStats stats = queue.stats();
    assertThat(stats.ready() + stats.delayed()).as("nothing more was leased").isEqualTo(3);
    Map<String, String> registered =
        redisson
            .<String, String>getMap(RedisKeys.agent("agent-marked"), StringCodec.INSTANCE)
            .readAllMap();
    assertThat(registered.get("state")).isEqualTo(AgentState.DRAINING.name());
    assertThat(registered.get("drainReason")).contains("operator");
  }

  @Test
  void anAgentMarkedBeforeItStartsLeasesNothing() {
    List<ShardTask> tasks = slowJob(2);
    queue.enqueue(tasks);
    new AgentDrainMarks(redisson).mark("agent-born-draining", "operator asked it to drain");

    start("agent-born-draining", Map.of("KILN_AGENT_LEASE_BATCH", "2"));

    await().atMost(WAIT).until(() -> agent.state() == AgentState.DRAINING);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> queue.stats().leased() == 0);
    assertThat(queue.stats().ready()).isEqualTo(2);
    assertThat(drainEvents()).isEmpty();
  }
}
