package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.QueueRepair;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.plan.QueueReconciler;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Single Redis entries lost in the middle of a job (a shard hash, a ready-set member, a lease
 * deadline, a completion event) are found and repaired from Postgres, and the job still succeeds
 * with every record once.
 */
@ExtendWith(KilnStackExtension.class)
class QueueReconcilerIT {
  private static final int ROWS = 90_000;

  private static StackClients clients;
  private static RedissonClient redisson;
  private static Jdbi jdbi;
  private static ObjectStore store;
  private Fixtures fixtures;
  private MetricRegistry metrics;
  private Scheduler scheduler;
  private final List<TestAgent> agents = new ArrayList<>();

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    redisson = clients.redisson();
    jdbi = clients.jdbi();
    store = clients.store();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void startScheduler() {
    fixtures = new Fixtures(jdbi, store);
    metrics = new MetricRegistry();
    scheduler =
        new Scheduler(
            jdbi,
            redisson,
            store,
            SchedulerSettings.defaults("it-" + UUID.randomUUID()),
            Clock.systemUTC(),
            metrics);
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
  }

  @AfterEach
  void stopScheduler() {
    agents.forEach(TestAgent::close);
    scheduler.close();
  }

  /** A reconciler like the scheduler's, without its grace period, run by the test. */
  private QueueReconciler reconciler(MetricRegistry registry) {
    RedisWorkQueue queue = scheduler.queue();
    return new QueueReconciler(
        jdbi,
        queue,
        new QueueRepair(redisson, queue.settings()),
        SchedulerSettings.defaults("reconciler-it"),
        store.settings().resultsBucket(),
        Clock.systemUTC(),
        registry,
        Duration.ZERO,
        Duration.ofSeconds(60),
        // Work is added before every pass: each compares Redis with Postgres.
        new AtomicLong()::incrementAndGet);
  }

  /** Slow agents; whichever leases shard 0 holds it until {@code gate} opens. */
  private void slowAgents(CountDownLatch gate) {
    for (String id : List.of("slow-1", "slow-2")) {
      agents.add(
          new TestAgent(
                  id,
                  scheduler.queue(),
                  store,
                  1,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(1),
                  lease -> {
                    try {
                      if (lease.task().idx() == 0) {
                        gate.await();
                      } else {
                        Thread.sleep(250);
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  })
              .start());
    }
  }

  private String key(String suffix) {
    return scheduler.queue().settings().prefix() + suffix;
  }

  private String shardKey(UUID jobId, int idx) {
    return key("s:" + jobId + ":" + idx);
  }

  /** The queue's own state letter of a shard (the Lua scripts' encoding), or null. */
  private String queueState(UUID jobId, int idx) {
    return redisson.<String, String>getMap(shardKey(jobId, idx), StringCodec.INSTANCE).get("st");
  }

  /** The highest shard index in {@code state} after {@code below}. */
  private int lastIn(String state, UUID jobId, int below) {
    for (int idx = below - 1; idx > 0; idx--) {
      if (state.equals(queueState(jobId, idx))) {
        return idx;
      }
    }
    throw new AssertionError("no shard in state " + state);
  }

  private static String csv(int rows) {
    return "id,name\n"
        + IntStream.range(0, rows)
            .mapToObj(i -> i + ",row-" + i)
            .collect(Collectors.joining("\n", "", "\n"));
  }

  private long repairs(MetricRegistry registry) {
    return registry.counter("kiln.reconciler.repairs").getCount();
  }

  @Test
  void singleLostEntriesAreRepairedAndTheJobSucceedsWithEveryRecordOnce() throws Exception {
    UUID owner = fixtures.account();
    String content = csv(ROWS);
    StoredFile input = fixtures.upload(owner, "in.csv", content);
    CountDownLatch gate = new CountDownLatch(1);
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    await().atMost(Duration.ofSeconds(10)).until(() -> queueState(jobId, 0) != null);
    int shards = fixtures.job(jobId).shardsTotal();
    assertThat(shards).isGreaterThan(10);
    slowAgents(gate);
    await().atMost(Duration.ofSeconds(20)).until(() -> "L".equals(queueState(jobId, 0)));

    int lostHash = lastIn("Q", jobId, shards);
    int lostReady = lastIn("Q", jobId, lostHash);
    redisson.getKeys().delete(shardKey(jobId, lostHash));
    redisson
        .getScoredSortedSet(key("r:" + TestAgent.PROCESSOR + ":" + owner), StringCodec.INSTANCE)
        .remove(jobId + ":" + lostReady);
    redisson.getScoredSortedSet(key("leases"), StringCodec.INSTANCE).remove(jobId + ":0");
    MetricRegistry own = new MetricRegistry();

    reconciler(own).reconcile();

    assertThat(repairs(own) + repairs(metrics)).isEqualTo(3);
    assertThat(queueState(jobId, lostHash)).isNotNull();
    assertThat(
            redisson.getScoredSortedSet(key("leases"), StringCodec.INSTANCE).contains(jobId + ":0"))
        .isTrue();
    assertThat(queueState(jobId, 0)).isEqualTo("L");
    gate.countDown();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fixtures.job(jobId).state().isTerminal());
    Job job = fixtures.job(jobId);
    assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.records()).isEqualTo(ROWS);
    assertThat(job.shardsDone()).isEqualTo(shards);
    StoredFile output =
        jdbi.onDemand(FileDao.class)
            .findForOwner(jdbi.onDemand(JobDao.class).inputs(jobId).get(0).outputFileId(), owner)
            .orElseThrow();
    try (InputStream in = store.open(output.bucket(), output.objectKey())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(content.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    }
  }

  @Test
  void aFinishedShardWhoseCompletionEventWasLostRunsAgainAndCountsOnce() throws Exception {
    UUID owner = fixtures.account();
    String content = csv(20_000);
    StoredFile input = fixtures.upload(owner, "in.csv", content);
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    await().atMost(Duration.ofSeconds(10)).until(() -> queueState(jobId, 0) != null);
    int shards = fixtures.job(jobId).shardsTotal();
    assertThat(shards).isGreaterThan(2);
    RedisWorkQueue queue = scheduler.queue();
    // No completion sink while the event is lost: it would record the event first.
    scheduler.close();
    Lease lease =
        queue.lease("lost-event", Set.of(TestAgent.PROCESSOR), 1, Duration.ofMinutes(1)).get(0);
    assertThat(queue.complete(lease.ref(), new ShardResult("lost", 1, 1_000_000, 0, null, 1.0)))
        .isTrue();
    List<QueueEvent> events = queue.readEvents(10);
    assertThat(events).hasSize(1);
    redisson
        .getScript(StringCodec.INSTANCE)
        .eval(
            RScript.Mode.READ_WRITE,
            "return redis.call('XDEL', KEYS[1], ARGV[1])",
            RScript.ReturnType.LONG,
            List.of(key("events")),
            events.get(0).streamId());
    int lost = lease.task().idx();
    assertThat(queueState(jobId, lost)).isEqualTo("F");
    MetricRegistry own = new MetricRegistry();

    reconciler(own).reconcile();

    assertThat(repairs(own)).isEqualTo(1);
    assertThat(queueState(jobId, lost)).isEqualTo("Q");
    assertThat(queue.readEvents(10)).isEmpty();
    startScheduler();
    for (String id : List.of("agent-1", "agent-2")) {
      agents.add(
          new TestAgent(
                  id,
                  scheduler.queue(),
                  store,
                  2,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(1),
                  l -> {})
              .start());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fixtures.job(jobId).state().isTerminal());
    Job job = fixtures.job(jobId);
    assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.records()).isEqualTo(20_000);
    assertThat(job.shardsDone()).isEqualTo(shards);
    StoredFile output =
        jdbi.onDemand(FileDao.class)
            .findForOwner(jdbi.onDemand(JobDao.class).inputs(jobId).get(0).outputFileId(), owner)
            .orElseThrow();
    try (InputStream in = store.open(output.bucket(), output.objectKey())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(content.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    }
  }

  @Test
  void shardsOfAJobPostgresNoLongerRunsLeaveRedis() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.csv", csv(20_000));
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    await().atMost(Duration.ofSeconds(10)).until(() -> queueState(jobId, 0) != null);
    int shards = fixtures.job(jobId).shardsTotal();
    // Cancelled in Postgres without the outbox event that would tell the scheduler.
    jdbi.useHandle(
        handle ->
            handle
                .attach(JobDao.class)
                .transition(
                    jobId, List.of(JobState.RUNNING), JobState.CANCELLED, null, Instant.now()));
    MetricRegistry own = new MetricRegistry();

    reconciler(own).reconcile();

    assertThat(repairs(own) + repairs(metrics)).isEqualTo(shards);
    assertThat(IntStream.range(0, shards).mapToObj(idx -> queueState(jobId, idx)))
        .containsOnlyNulls();
  }
}
