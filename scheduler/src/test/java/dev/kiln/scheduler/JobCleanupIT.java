package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Shard;
import dev.kiln.model.ShardState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.housekeeping.Housekeeper;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * What a cancelled or failed job leaves behind: its parts stay for a retry, late completions do not
 * count, its unrun shards end CANCELLED and leave Redis, and unfinished uploads are aborted.
 */
@ExtendWith(KilnStackExtension.class)
class JobCleanupIT {
  private static StackClients clients;
  private static RedissonClient redisson;
  private static Jdbi jdbi;
  private static ObjectStore store;
  private Fixtures fixtures;
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
    scheduler =
        new Scheduler(
            jdbi,
            redisson,
            store,
            SchedulerSettings.defaults("it-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
  }

  @AfterEach
  void stopScheduler() {
    agents.forEach(TestAgent::close);
    scheduler.close();
  }

  private static String csv(int rows) {
    return "id,name\n"
        + IntStream.range(0, rows)
            .mapToObj(i -> i + ",row-" + i)
            .collect(Collectors.joining("\n", "", "\n"));
  }

  private String queueState(UUID jobId, int idx) {
    String key = scheduler.queue().settings().prefix() + "s:" + jobId + ":" + idx;
    return redisson.<String, String>getMap(key, StringCodec.INSTANCE).get("st");
  }

  private void cancel(UUID jobId, UUID owner, boolean withEvent) {
    jdbi.useTransaction(
        handle -> {
          handle
              .attach(JobDao.class)
              .transition(
                  jobId, List.of(JobState.RUNNING), JobState.CANCELLED, null, Instant.now());
          if (withEvent) {
            handle
                .attach(OutboxDao.class)
                .append(jobId, owner, OutboxEventType.CANCELLED, "{}", Instant.now());
          }
        });
  }

  private List<Lease> leaseOne(String processor) {
    List<Lease> leases = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                leases.addAll(
                    scheduler.queue().lease("x", Set.of(processor), 1, Duration.ofSeconds(30))));
    return leases;
  }

  @Test
  void cancellingKeepsThePartsALateShardDoesNotCountAndARetryResumes() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.csv", csv(40_000));
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixtures.job(jobId).state() == JobState.RUNNING);
    int last = fixtures.job(jobId).shardsTotal() - 1;
    CountDownLatch gate = new CountDownLatch(1);
    agents.add(
        new TestAgent(
                "held",
                scheduler.queue(),
                store,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                lease -> {
                  if (lease.task().idx() == last) {
                    try {
                      gate.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .start());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(jobId).shardsDone() == fixtures.job(jobId).shardsTotal() - 1);
    List<String> parts =
        jdbi.onDemand(ShardDao.class).listForJob(jobId).stream()
            .filter(s -> s.state() == ShardState.DONE)
            .map(Shard::outputKey)
            .toList();
    assertThat(parts).isNotEmpty();
    String bucket = store.settings().resultsBucket();
    assertThat(store.head(bucket, parts.get(0))).isPresent();
    Job before = fixtures.job(jobId);

    cancel(jobId, owner, true);

    await().atMost(Duration.ofSeconds(10)).until(() -> "C".equals(queueState(jobId, last)));
    assertThat(parts).allMatch(key -> store.head(bucket, key).isPresent());
    TestAgent held = agents.get(0);
    assertThat(held.current()).hasSize(1);
    assertThat(scheduler.queue().heartbeat("held", held.current(), Duration.ofSeconds(30)))
        .as("the running shard's agent is told to stop")
        .isEqualTo(held.current());
    gate.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> held.current().isEmpty());
    Job after = fixtures.job(jobId);
    assertThat(after.state()).isEqualTo(JobState.CANCELLED);
    assertThat(after.shardsDone()).isEqualTo(before.shardsDone());
    assertThat(after.records()).isEqualTo(before.records());
    assertThat(jdbi.onDemand(ShardDao.class).listForJob(jobId).get(last).state())
        .isEqualTo(ShardState.CANCELLED);

    jdbi.useTransaction(
        handle -> {
          assertThat(handle.attach(JobDao.class).reopenCancelled(jobId, owner)).isEqualTo(1);
          handle
              .attach(OutboxDao.class)
              .append(jobId, owner, OutboxEventType.RETRIED, "{}", Instant.now());
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(jobId).state() == JobState.SUCCEEDED);
    assertThat(fixtures.job(jobId).shardsDone()).isEqualTo(last + 1);
    assertThat(
            jdbi.onDemand(ShardDao.class).listForJob(jobId).stream().map(Shard::outputKey).toList())
        .as("the shards finished before the cancel are not run again")
        .containsAll(parts);
  }

  @Test
  void aCompletionRecordedAfterTheJobWasCancelledDoesNotMoveItsTotals() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\nb\n");
    UUID jobId = fixtures.submit(owner, "late", "{}", 0, List.of(input));
    List<Lease> leases = leaseOne("late");
    // Cancelled in Postgres before the scheduler has told Redis: the queue still accepts it.
    cancel(jobId, owner, false);

    RedisWorkQueue queue = scheduler.queue();
    assertThat(queue.complete(leases.get(0).ref(), new ShardResult("k", 4, 2, 0, null, 1.0)))
        .isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> queueState(jobId, 0) == null);

    Job job = fixtures.job(jobId);
    assertThat(job.shardsDone()).isZero();
    assertThat(job.records()).isZero();
    assertThat(jdbi.onDemand(ShardDao.class).listForJob(jobId).get(0).state())
        .isNotEqualTo(ShardState.DONE);
  }

  @Test
  void aFailedJobsUnrunShardsEndCancelledAndLeaveRedis() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.csv", csv(20_000));
    UUID jobId = fixtures.submit(owner, "fails", "{\"shardBytes\": 65536}", 0, List.of(input));
    List<Lease> leases = leaseOne("fails");
    int shards = fixtures.job(jobId).shardsTotal();
    assertThat(shards).isGreaterThan(2);

    scheduler.queue().fail(leases.get(0).ref(), "bad model", false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixtures.job(jobId).state() == JobState.FAILED);
    assertThat(jdbi.onDemand(ShardDao.class).listForJob(jobId))
        .extracting(Shard::state)
        .containsOnly(ShardState.DEAD, ShardState.CANCELLED)
        .containsOnlyOnce(ShardState.DEAD);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                IntStream.range(0, shards)
                    .allMatch(
                        idx ->
                            idx == leases.get(0).task().idx() || queueState(jobId, idx) == null));
  }

  @Test
  void theHousekeeperAbortsUploadsLeftUnfinishedForADay() {
    String bucket = store.settings().resultsBucket();
    String key = "interrupted/" + UUID.randomUUID() + "/output";
    store.createMultipartUpload(bucket, key);
    assertThat(store.uploadsInProgress(bucket, key)).containsExactly(key);
    Housekeeper now =
        new Housekeeper(jdbi, store, SchedulerSettings.defaults("hk"), Clock.systemUTC());
    now.sweep();
    assertThat(store.uploadsInProgress(bucket, key)).containsExactly(key);

    Clock dayLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(25));
    new Housekeeper(jdbi, store, SchedulerSettings.defaults("hk"), dayLater).sweep();

    assertThat(store.uploadsInProgress(bucket, key)).isEmpty();
  }
}
