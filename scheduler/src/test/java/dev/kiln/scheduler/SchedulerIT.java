package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.ShardState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.storage.ObjectStore;
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
import java.util.concurrent.ConcurrentHashMap;
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

/** Planner, completion sink, assembler and outbox reactions end to end with a small agent. */
@ExtendWith(KilnStackExtension.class)
class SchedulerIT {
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

  private TestAgent agent(String id) {
    TestAgent agent =
        new TestAgent(
                id,
                scheduler.queue(),
                store,
                4,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> {})
            .start();
    agents.add(agent);
    return agent;
  }

  private static String csv(String prefix, int rows) {
    return "id,name\n"
        + IntStream.range(0, rows)
            .mapToObj(i -> i + "," + prefix + "-row-" + i)
            .collect(Collectors.joining("\n", "", "\n"));
  }

  private Job awaitTerminal(UUID jobId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fixtures.job(jobId).state().isTerminal());
    return fixtures.job(jobId);
  }

  private String read(StoredFile file) throws Exception {
    try (InputStream in = store.open(file.bucket(), file.objectKey())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void plansRunsAndAssemblesEveryRecordOnceInInputOrder() throws Exception {
    agent("a1");
    agent("a2");
    UUID owner = fixtures.account();
    String first = csv("alpha", 9_000);
    String second = csv("beta", 50);
    StoredFile in1 = fixtures.upload(owner, "alpha.csv", first);
    StoredFile in2 = fixtures.upload(owner, "beta.csv", second);

    Set<JobState> announced = ConcurrentHashMap.newKeySet();
    JobNews.Subscription news =
        new JobNews(redisson)
            .subscribe(
                id -> {
                  try {
                    announced.add(fixtures.job(id).state());
                  } catch (RuntimeException otherTestsJob) {
                    // Not this test's job.
                  }
                },
                () -> {});

    UUID jobId =
        fixtures.submit(
            owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(in1, in2));
    redisson.getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
    Job job = awaitTerminal(jobId);
    await().atMost(Duration.ofSeconds(5)).until(() -> announced.contains(JobState.SUCCEEDED));
    news.close();
    assertThat(announced)
        .as("each committed change is announced to the event streams")
        .contains(JobState.RUNNING, JobState.SUCCEEDED);

    assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.shardsTotal()).isGreaterThan(2);
    assertThat(job.shardsDone()).isEqualTo(job.shardsTotal());
    assertThat(job.records()).isEqualTo(9_050);
    assertThat(job.agentSeconds()).isGreaterThan(0);
    List<String> machines =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        "select distinct instance_type || ' ' || purchase_option from shards"
                            + " where job_id = :jobId")
                    .bind("jobId", jobId)
                    .mapTo(String.class)
                    .list());
    assertThat(machines)
        .as("every shard records the machine that ran it")
        .containsExactly("g4dn.xlarge spot");
    List<JobInput> inputs = jdbi.onDemand(JobDao.class).inputs(jobId);
    assertThat(inputs).extracting(JobInput::header).containsOnly("id,name");
    FileDao files = jdbi.onDemand(FileDao.class);
    StoredFile out1 = files.findForOwner(inputs.get(0).outputFileId(), owner).orElseThrow();
    StoredFile out2 = files.findForOwner(inputs.get(1).outputFileId(), owner).orElseThrow();
    assertThat(out1.name()).isEqualTo("alpha.csv.out");
    assertThat(read(out1))
        .isEqualTo(first.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    assertThat(read(out2))
        .isEqualTo(second.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    assertThat(out1.sizeBytes()).isEqualTo(read(out1).length());
    assertThat(jdbi.onDemand(OutboxDao.class).forJobAfter(jobId, 0))
        .extracting(e -> e.type())
        .containsSubsequence(
            OutboxEventType.SUBMITTED, OutboxEventType.RUNNING, OutboxEventType.SUCCEEDED);
  }

  @Test
  void aDeadLetteredShardFailsTheJobWithItsReasonAndNoOutput() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\nb\nc\n");
    UUID jobId = fixtures.submit(owner, "doomed", "{}", 0, List.of(input));
    RedisWorkQueue queue = scheduler.queue();
    List<Lease> leases = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> leases.addAll(queue.lease("x", Set.of("doomed"), 1, Duration.ofSeconds(30))));

    queue.fail(leases.get(0).ref(), "model file is not a SavedModel", false);
    Job job = awaitTerminal(jobId);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .isEqualTo("shard 0 was dead-lettered: model file is not a SavedModel");
    assertThat(jdbi.onDemand(ShardDao.class).listForJob(jobId))
        .extracting(s -> s.state())
        .containsExactly(ShardState.DEAD);
    Integer deadAttempts =
        jdbi.withHandle(
            h ->
                h.createQuery("select dead_attempts from shards where job_id = :job")
                    .bind("job", jobId)
                    .mapTo(Integer.class)
                    .one());
    assertThat(deadAttempts).as("the attempts it spent, for the dead-letter list").isEqualTo(1);
    assertThat(jdbi.onDemand(JobDao.class).inputs(jobId))
        .extracting(JobInput::outputFileId)
        .containsOnlyNulls();
  }

  @Test
  void tooManyRecordErrorsFailTheJob() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\nb\n");
    UUID jobId = fixtures.submit(owner, "errs", "{\"maxErrorRate\": 0.05}", 0, List.of(input));
    RedisWorkQueue queue = scheduler.queue();
    List<Lease> leases = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> leases.addAll(queue.lease("x", Set.of("errs"), 1, Duration.ofSeconds(30))));

    queue.complete(leases.get(0).ref(), new ShardResult("k", 1, 100, 6, "ek", 1.0));
    Job job = awaitTerminal(jobId);

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason())
        .isEqualTo("6 of 100 records (6.00%) failed, above the job's maxErrorRate of 5.00%");
  }

  @Test
  void anUnplannableJobFailsWithAReasonTheOwnerCanActOn() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\n");
    UUID jobId = fixtures.submit(owner, "p", "{\"split\": \"words\"}", 0, List.of(input));
    Job job = awaitTerminal(jobId);
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.failureReason()).isEqualTo("'params.split' must be one of lines, none.");
  }

  @Test
  void cancellingAJobDropsItsWorkAndRetryingRequeuesDeadShards() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\n".repeat(100_000));
    UUID jobId = fixtures.submit(owner, "slow", "{\"shardBytes\": 65536}", 0, List.of(input));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixtures.job(jobId).state() == JobState.RUNNING);
    // The planner commits RUNNING with the shards, then enqueues them.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(scheduler.queue().stats().ready())
                    .isEqualTo(fixtures.job(jobId).shardsTotal()));

    jdbi.useTransaction(
        handle -> {
          handle
              .attach(JobDao.class)
              .transition(
                  jobId, List.of(JobState.RUNNING), JobState.CANCELLED, null, Instant.now());
          handle
              .attach(OutboxDao.class)
              .append(jobId, owner, OutboxEventType.CANCELLED, "{}", Instant.now());
        });

    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.queue().stats().ready() == 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbi.onDemand(ShardDao.class).listForJob(jobId).stream()
                    .allMatch(s -> s.state() == ShardState.CANCELLED));
  }

  @Test
  void retriedJobRunsItsDeadShardsAgainWithANewerAttempt() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "x\ny\n");
    UUID jobId = fixtures.submit(owner, TestAgent.PROCESSOR, "{}", 0, List.of(input));
    RedisWorkQueue queue = scheduler.queue();
    List<Lease> leases = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                leases.addAll(
                    queue.lease("x", Set.of(TestAgent.PROCESSOR), 1, Duration.ofSeconds(30))));
    queue.fail(leases.get(0).ref(), "transient outage", false);
    assertThat(awaitTerminal(jobId).state()).isEqualTo(JobState.FAILED);

    // As the API's retry does: the job runs again and a retried event asks the scheduler to
    // requeue the shards it did not finish.
    jdbi.useTransaction(
        handle -> {
          handle
              .attach(JobDao.class)
              .transition(jobId, List.of(JobState.FAILED), JobState.RUNNING, null, Instant.now());
          handle
              .attach(OutboxDao.class)
              .append(jobId, owner, OutboxEventType.RETRIED, "{}", Instant.now());
        });
    agent("a1");

    Job job = awaitTerminal(jobId);
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(jdbi.onDemand(ShardDao.class).listForJob(jobId).get(0).attempt())
        .isGreaterThan(leases.get(0).attempt());
  }

  /** An agent that processes shards one at a time and holds the last one until {@code gate}. */
  private TestAgent agentHoldingTheLastShard(String id, int shards, CountDownLatch gate) {
    TestAgent agent =
        new TestAgent(
                id,
                scheduler.queue(),
                store,
                1,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> {
                  if (lease.task().idx() == shards - 1) {
                    try {
                      gate.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                })
            .start();
    agents.add(agent);
    return agent;
  }

  /** Multipart uploads in progress under the job's keys in the results bucket. */
  private List<String> uploadsInProgress(UUID jobId) {
    return store.uploadsInProgress(store.settings().resultsBucket(), "").stream()
        .filter(key -> key.contains(jobId.toString()))
        .toList();
  }

  /** A running job of 6 MiB shards whose last shard an agent holds until {@code gate} opens. */
  private record HeldJob(UUID owner, String content, int shards, CountDownLatch gate, UUID jobId) {}

  private HeldJob aBigJobWithItsLastShardHeld(String agentId) {
    UUID owner = fixtures.account();
    String content = csv("big", 1_400_000);
    StoredFile input = fixtures.upload(owner, "big.csv", content);
    int shardBytes = 6 * 1024 * 1024;
    int shards = (content.length() + shardBytes - 1) / shardBytes;
    CountDownLatch gate = new CountDownLatch(1);
    agentHoldingTheLastShard(agentId, shards, gate);
    UUID jobId =
        fixtures.submit(
            owner, TestAgent.PROCESSOR, "{\"shardBytes\": " + shardBytes + "}", 0, List.of(input));
    return new HeldJob(owner, content, shards, gate, jobId);
  }

  @Test
  void largePartsAreCopiedIntoTheOutputWhileTheJobRunsAndNothingShowsBeforeItEnds()
      throws Exception {
    HeldJob held = aBigJobWithItsLastShardHeld("a-inc");
    UUID owner = held.owner();
    String content = held.content();
    int shards = held.shards();
    CountDownLatch gate = held.gate();
    UUID jobId = held.jobId();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fixtures.job(jobId).shardsDone() == shards - 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !uploadsInProgress(jobId).isEmpty());
    assertThat(fixtures.job(jobId).state()).isEqualTo(JobState.RUNNING);
    assertThat(jdbi.onDemand(JobDao.class).inputs(jobId).get(0).outputFileId()).isNull();
    gate.countDown();
    Job job = awaitTerminal(jobId);

    assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
    StoredFile output =
        jdbi.onDemand(FileDao.class)
            .findForOwner(jdbi.onDemand(JobDao.class).inputs(jobId).get(0).outputFileId(), owner)
            .orElseThrow();
    assertThat(read(output))
        .isEqualTo(content.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    assertThat(metrics.meter("scheduler.assembler.incremental").getCount()).isEqualTo(1);
    assertThat(uploadsInProgress(jobId)).isEmpty();
  }

  @Test
  void cancellingAJobAbortsTheOutputItWasAssembling() {
    HeldJob held = aBigJobWithItsLastShardHeld("a-cancel");
    UUID owner = held.owner();
    CountDownLatch gate = held.gate();
    UUID jobId = held.jobId();
    await().atMost(Duration.ofSeconds(60)).until(() -> !uploadsInProgress(jobId).isEmpty());

    jdbi.useTransaction(
        handle -> {
          handle
              .attach(JobDao.class)
              .transition(
                  jobId, List.of(JobState.RUNNING), JobState.CANCELLED, null, Instant.now());
          handle
              .attach(OutboxDao.class)
              .append(jobId, owner, OutboxEventType.CANCELLED, "{}", Instant.now());
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> uploadsInProgress(jobId).isEmpty());
    gate.countDown();
    assertThat(fixtures.job(jobId).state()).isEqualTo(JobState.CANCELLED);
  }
}
