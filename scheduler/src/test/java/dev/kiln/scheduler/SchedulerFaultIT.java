package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardRef;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * Two schedulers and several agents over more than 10,000 shards of four owners while agents are
 * killed hard, the leader is killed and Redis is flushed: every job must end, every record must
 * appear exactly once in its output, nothing may be dead-lettered, and orphaned shards must run
 * again within the visibility timeout.
 */
@ExtendWith(KilnStackExtension.class)
class SchedulerFaultIT {
  private static final Duration VISIBILITY = Duration.ofSeconds(8);
  private static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private static StackClients stackClients;
  private static Jdbi jdbi;
  private static ObjectStore store;

  private final Map<ShardKey, List<Long>> leaseTimes = new ConcurrentHashMap<>();
  private final List<TestAgent> agents = Collections.synchronizedList(new ArrayList<>());
  private final List<Scheduler> schedulers = new ArrayList<>();
  private final List<RedissonClient> clients = new ArrayList<>();
  private final AtomicInteger agentNames = new AtomicInteger();

  private record ShardKey(UUID jobId, int idx) {}

  @BeforeAll
  static void connect(TestStack stack) {
    stackClients = new StackClients(stack);
    jdbi = stackClients.jdbi();
    store = stackClients.store();
  }

  @AfterAll
  static void disconnect() {
    stackClients.close();
  }

  private Scheduler startScheduler(String name) {
    RedissonClient client = stackClients.redisson();
    clients.add(client);
    Scheduler scheduler =
        new Scheduler(
            jdbi,
            client,
            store,
            SchedulerSettings.defaults(name).withMinShardBytes(1024),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    schedulers.add(scheduler);
    return scheduler;
  }

  private TestAgent startAgent(RedisWorkQueue queue) {
    TestAgent agent =
        new TestAgent(
                "agent-" + agentNames.getAndIncrement(),
                queue,
                store,
                8,
                VISIBILITY,
                HEARTBEAT,
                this::recordLease)
            .start();
    agents.add(agent);
    return agent;
  }

  private void recordLease(Lease lease) {
    leaseTimes
        .computeIfAbsent(
            new ShardKey(lease.task().jobId(), lease.task().idx()), k -> new ArrayList<>())
        .add(System.currentTimeMillis());
  }

  private static String linesOfKib(String prefix, int kib) {
    StringBuilder text = new StringBuilder(kib * 1024 + 64);
    for (int i = 0; text.length() < kib * 1024; i++) {
      text.append(prefix).append(" record ").append(i).append('\n');
    }
    return text.toString();
  }

  @Test
  @Timeout(value = 170)
  void everyJobEndsWithEveryRecordExactlyOnceDespiteKillsAndAFlush() throws Exception {
    long startedAt = System.currentTimeMillis();
    Fixtures fixtures = new Fixtures(jdbi, store);
    Map<UUID, List<String>> expected = new HashMap<>();
    List<UUID> jobs = new ArrayList<>();

    UUID owner1 = fixtures.account();
    UUID owner2 = fixtures.account();
    UUID owner3 = fixtures.account();
    UUID owner4 = fixtures.account();
    // Inputs of 1 KiB shards: about 10,400 shards from three owners.
    Object[][] plan = {
      {owner1, new int[] {2_700}}, {owner1, new int[] {1_000, 1_000}},
      {owner2, new int[] {900, 900, 900}}, {owner3, new int[] {3_000}}
    };
    for (Object[] job : plan) {
      UUID owner = (UUID) job[0];
      int[] kibs = (int[]) job[1];
      List<String> names = new ArrayList<>();
      List<String> contents = new ArrayList<>();
      for (int i = 0; i < kibs.length; i++) {
        names.add("input-" + i + ".txt");
        contents.add(
            linesOfKib(owner.toString().substring(0, 8) + "-" + jobs.size() + "-" + i, kibs[i]));
      }
      List<StoredFile> files = fixtures.uploadMany(owner, names, contents);
      for (int i = 0; i < files.size(); i++) {
        expected.put(files.get(i).id(), List.of(contents.get(i)));
      }
      jobs.add(fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 1024}", 0, files));
    }
    long uploadedAt = System.currentTimeMillis();

    Scheduler first = startScheduler("scheduler-a");
    await().atMost(Duration.ofSeconds(10)).until(() -> first.leadership().isLeader());
    Scheduler second = startScheduler("scheduler-b");
    RedisWorkQueue agentQueue = new RedisWorkQueue(clients.get(0), Clock.systemUTC());
    for (int i = 0; i < 6; i++) {
      startAgent(agentQueue);
    }

    // Fault 1: two agents die hard mid-run.
    awaitShardsDone(1_500);
    List<TestAgent> victims = List.of(agents.get(0), agents.get(1));
    Set<ShardRef> orphans = ConcurrentHashMap.newKeySet();
    long killedAt = System.currentTimeMillis();
    for (TestAgent victim : victims) {
      orphans.addAll(victim.current());
      victim.kill();
    }
    startAgent(agentQueue);
    UUID smallJob =
        fixtures.submit(
            owner4,
            TestAgent.PROCESSOR,
            "{}",
            0,
            fixtures.uploadMany(
                owner4, List.of("a.txt", "b.txt", "c.txt"), List.of("x\n", "y\n", "z\n")));
    jobs.add(smallJob);
    await()
        .atMost(VISIBILITY.plusSeconds(10))
        .until(() -> orphans.stream().allMatch(o -> leasedAfter(o, killedAt)));
    long slowestOrphanMillis =
        orphans.stream().mapToLong(o -> firstLeaseAfter(o, killedAt) - killedAt).max().orElse(0);

    // Fault 2: the leader dies; the follower must take over within 10 seconds.
    awaitShardsDone(4_000);
    Scheduler leader = first.leadership().isLeader() ? first : second;
    Scheduler follower = leader == first ? second : first;
    long leaderKilledAt = System.currentTimeMillis();
    leader.halt();
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.leadership().isLeader());
    long failoverMillis = System.currentTimeMillis() - leaderKilledAt;
    Scheduler replacement = startScheduler("scheduler-c");

    // Fault 3: Redis loses everything.
    awaitShardsDone(6_500);
    clients.get(1).getKeys().flushall();
    long flushedAt = System.currentTimeMillis();
    startAgent(new RedisWorkQueue(clients.get(1), Clock.systemUTC()));

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> jobs.stream().allMatch(id -> fixtures.job(id).state().isTerminal()));
    long finishedAt = System.currentTimeMillis();

    List<Job> finished = jobs.stream().map(fixtures::job).toList();
    int totalShards = finished.stream().mapToInt(Job::shardsTotal).sum();
    long dead =
        jdbi.withHandle(
            h ->
                h.createQuery("select count(*) from shards where state = <shard_DEAD>")
                    .mapTo(Long.class)
                    .one());
    long leases = leaseTimes.values().stream().mapToLong(List::size).sum();
    Job small = fixtures.job(smallJob);
    Job bigJob =
        finished.stream()
            .filter(j -> !j.id().equals(smallJob))
            .max(java.util.Comparator.comparing(Job::finishedAt))
            .orElseThrow();
    int checked = verifyOutputs(expected, jobs);

    System.out.printf(
        Locale.ROOT,
        "%nFAULT SUITE: %d jobs of 4 owners, %d shards, %d inputs checked record by record%n"
            + "  upload %.1f s, run %.1f s after upload (agents killed at +%.1f s, leader killed at"
            + " +%.1f s, Redis flushed at +%.1f s)%n"
            + "  leases %d (re-runs %d), dead-lettered %d, orphans %d re-leased within %d ms"
            + " (visibility %d s), leader failover %d ms%n"
            + "  the 3-shard job of a fourth owner finished %.1f s before the last big job%n",
        finished.size(),
        totalShards,
        checked,
        (uploadedAt - startedAt) / 1000.0,
        (finishedAt - uploadedAt) / 1000.0,
        (killedAt - uploadedAt) / 1000.0,
        (leaderKilledAt - uploadedAt) / 1000.0,
        (flushedAt - uploadedAt) / 1000.0,
        leases,
        leases - totalShards,
        dead,
        orphans.size(),
        slowestOrphanMillis,
        VISIBILITY.toSeconds(),
        failoverMillis,
        (bigJob.finishedAt().toEpochMilli() - small.finishedAt().toEpochMilli()) / 1000.0);

    assertThat(finished)
        .allSatisfy(j -> assertThat(j.state()).as(j.failureReason()).isEqualTo(JobState.SUCCEEDED));
    assertThat(totalShards).isGreaterThanOrEqualTo(10_000);
    assertThat(dead).isZero();
    assertThat(checked).isEqualTo(expected.size());
    assertThat(orphans).isNotEmpty();
    assertThat(slowestOrphanMillis).isLessThanOrEqualTo(VISIBILITY.toMillis() + 3_000);
    assertThat(failoverMillis).isLessThan(10_000);
    assertThat(small.finishedAt()).isBefore(bigJob.finishedAt());
    assertThat(replacement).isNotNull();
  }

  @org.junit.jupiter.api.AfterEach
  void stopEverything() {
    agents.forEach(TestAgent::close);
    schedulers.forEach(Scheduler::close);
    clients.forEach(RedissonClient::shutdown);
  }

  private void awaitShardsDone(int count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                jdbi.withHandle(
                        h ->
                            h.createQuery("select count(*) from shards where state = <shard_DONE>")
                                .mapTo(Long.class)
                                .one())
                    >= count);
  }

  private boolean leasedAfter(ShardRef ref, long time) {
    return firstLeaseAfter(ref, time) > 0;
  }

  private long firstLeaseAfter(ShardRef ref, long time) {
    List<Long> times = leaseTimes.getOrDefault(new ShardKey(ref.jobId(), ref.idx()), List.of());
    synchronized (times) {
      return times.stream().filter(t -> t > time).findFirst().orElse(0L);
    }
  }

  /** Reads every output and compares it with the upper-cased input; answers how many matched. */
  private static int verifyOutputs(Map<UUID, List<String>> expected, List<UUID> jobs)
      throws Exception {
    JobDao jobDao = jdbi.onDemand(JobDao.class);
    FileDao files = jdbi.onDemand(FileDao.class);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> checks = new ArrayList<>();
    for (UUID jobId : jobs) {
      for (JobInput input : jobDao.inputs(jobId)) {
        List<String> want = expected.get(input.fileId());
        if (want == null) {
          continue;
        }
        StoredFile output = files.findById(input.outputFileId()).orElseThrow();
        checks.add(
            pool.submit(
                () -> {
                  try (InputStream in = store.open(output.bucket(), output.objectKey())) {
                    String got = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(got)
                        .as(output.objectKey())
                        .isEqualTo(want.get(0).toUpperCase(Locale.ROOT));
                    return true;
                  }
                }));
      }
    }
    int ok = 0;
    for (Future<Boolean> check : checks) {
      if (check.get()) {
        ok++;
      }
    }
    pool.shutdown();
    return ok;
  }
}
