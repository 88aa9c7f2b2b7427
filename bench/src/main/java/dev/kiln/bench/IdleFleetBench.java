package dev.kiln.bench;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.Databases;
import dev.kiln.model.PriceTable;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.credits.CreditSettler;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.notify.Notifier;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.redisson.api.RedissonClient;

/**
 * What an idle fleet costs and how fast it wakes: {@code agents} light agent threads speak the
 * agent's protocol to one Redis (lease; when the queue is empty, wait for its wake-up; publish the
 * agent status every 10 s, as the heartbeat does) while no work is queued and a scheduler leader
 * runs. Prints Redis's CPU as a share of one core and the statements the leader sent PostgreSQL
 * during the idle window (the leader stops after it), then the time from a one-shard job's enqueue
 * to its lease, and from a job of one shard per agent to every agent holding one.
 *
 * <p>Arguments: {@code [agents=1000] [idleSeconds=10] [jobs=100]}.
 */
public final class IdleFleetBench {
  private static final String PROCESSOR = "idle-fleet";
  private static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  private final RedisWorkQueue queue;
  private final AgentStatusStore statuses;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong leaseCalls = new AtomicLong();
  private final Map<UUID, Long> firstLease = new ConcurrentHashMap<>();
  private final AtomicLong leased = new AtomicLong();

  private IdleFleetBench(RedisWorkQueue queue, AgentStatusStore statuses) {
    this.queue = queue;
    this.statuses = statuses;
  }

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    try (BenchServices services = BenchServices.start()) {
      Jdbi jdbi = services.jdbi();
      // One connection per waiting agent (a blocked BLPOP holds its connection), as a fleet of
      // agent processes has.
      RedissonClient fleetRedis = RedisClients.create(services.redisUri(), agents + 16);
      RedissonClient schedulerRedis = services.redisson();
      ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2);
      List<Thread> threads = new ArrayList<>();
      IdleFleetBench fleet =
          new IdleFleetBench(
              new RedisWorkQueue(fleetRedis, Clock.systemUTC()), new AgentStatusStore(fleetRedis));
      try {
        RedisWorkQueue schedulerQueue = new RedisWorkQueue(schedulerRedis, Clock.systemUTC());
        schedulerQueue.ensureEpoch(jdbi.onDemand(SchedulerDao.class).nextEpoch());
        CountDownLatch waiting = new CountDownLatch(agents);
        for (int a = 0; a < agents; a++) {
          String agentId = "idle-agent-" + a;
          Thread thread = new Thread(() -> fleet.agentLoop(agentId, waiting), agentId);
          thread.setDaemon(true);
          threads.add(thread);
          thread.start();
          heartbeats.scheduleAtFixedRate(
              () -> fleet.publishStatus(agentId),
              a * STATUS_INTERVAL.toMillis() / agents,
              STATUS_INTERVAL.toMillis(),
              TimeUnit.MILLISECONDS);
        }
        waiting.await(60, TimeUnit.SECONDS);
        Idle idle;
        try (Leader leader = Leader.start(services, schedulerRedis)) {
          // A new leader's first passes look once at everything; then it falls quiet. PostgreSQL
          // adds a backend's statements to its counts up to 10 s after the last one: those of the
          // first passes are counted before the window opens.
          Thread.sleep(12_000);
          idle = fleet.measureIdle(services, jdbi, leader, idleSeconds);
        }
        double[] firstLeaseMillis = fleet.firstLeases(schedulerQueue, jobs);
        double everyAgentMillis = fleet.everyAgentBusy(schedulerQueue, agents);
        System.out.println();
        System.out.println("KILN IDLE FLEET BENCHMARK");
        System.out.printf(
            Locale.ROOT,
            "  conditions: %d cores, load average %s, %d agent threads (lease, else wait for the"
                + " queue's wake-up up to %d s; status every %d s) on one Redis; a scheduler"
                + " leader with its notify stage and credit settler; PostgreSQL %s%n",
            Runtime.getRuntime().availableProcessors(),
            idle.loadAverage(),
            agents,
            LONGEST_WAIT.toSeconds(),
            STATUS_INTERVAL.toSeconds(),
            services.durability());
        System.out.printf(
            Locale.ROOT,
            "  idle for %d s: Redis CPU %.2f %% of one core; %d lease calls; %d statements from the"
                + " scheduler to PostgreSQL%s; %d transactions in the database by the server's"
                + " count (which also holds autovacuum and counts flushed late)%n",
            idleSeconds,
            idle.redisCorePercent(),
            idle.leaseCalls(),
            idle.statements().size(),
            idle.statements().isEmpty() ? "" : " " + idle.statements(),
            idle.postgresTransactions());
        System.out.printf(
            Locale.ROOT,
            "  work arrives (%d jobs of one shard, enqueued one at a time): enqueue to lease"
                + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            jobs,
            percentile(firstLeaseMillis, 50),
            percentile(firstLeaseMillis, 99),
            percentile(firstLeaseMillis, 100));
        System.out.printf(
            Locale.ROOT,
            "  a job of %d shards, one per agent: every shard leased %.1f ms after its enqueue%n",
            agents,
            everyAgentMillis);
      } finally {
        heartbeats.shutdownNow();
        fleet.running.set(false);
        threads.forEach(Thread::interrupt);
        fleetRedis.shutdown();
        schedulerRedis.shutdown();
      }
    }
  }

  record Idle(
      double redisCorePercent,
      long leaseCalls,
      List<String> statements,
      long postgresTransactions,
      String load) {
    String loadAverage() {
      return load;
    }
  }

  /** The agent's leasing step and its waiting step, as {@code dev.kiln.agent.Agent} runs them. */
  private void agentLoop(String agentId, CountDownLatch waiting) {
    boolean counted = false;
    while (running.get() && !Thread.currentThread().isInterrupted()) {
      try {
        leaseCalls.incrementAndGet();
        List<Lease> leases = queue.lease(agentId, Set.of(PROCESSOR), 1, Duration.ofMinutes(1));
        if (leases.isEmpty()) {
          if (!counted) {
            counted = true;
            waiting.countDown();
          }
          queue.awaitWork(Set.of(PROCESSOR), LONGEST_WAIT).get();
          continue;
        }
        long now = System.nanoTime();
        for (Lease lease : leases) {
          firstLease.putIfAbsent(lease.task().jobId(), now);
          leased.incrementAndGet();
        }
        // Hold the shard a moment, as a real one runs, then complete it.
        Thread.sleep(20);
        for (Lease lease : leases) {
          queue.complete(lease.ref(), new ShardResult("k", 0, 1, 0, null, 0.02));
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (!running.get()) {
          return;
        }
        System.err.println(agentId + ": " + e);
      }
    }
  }

  private void publishStatus(String agentId) {
    try {
      statuses.publish(
          new AgentStatus(
              agentId,
              "bench",
              "local",
              "",
              "bench",
              "none",
              "CPU",
              List.of(PROCESSOR),
              AgentState.RUNNING,
              0,
              0L,
              0L,
              null,
              Instant.now(),
              "local"),
          STATUS_INTERVAL.multipliedBy(3));
    } catch (RuntimeException e) {
      System.err.println(agentId + " status: " + e);
    }
  }

  private Idle measureIdle(BenchServices services, Jdbi jdbi, Leader leader, int seconds)
      throws Exception {
    long redisPid = ProcessCpu.find("127.0.0.1:" + services.redisPort());
    long transactionsBefore = transactions(jdbi);
    leader.statements().clear();
    double redisBefore = ProcessCpu.ownMillis(redisPid);
    long callsBefore = leaseCalls.get();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double redisMillis = ProcessCpu.ownMillis(redisPid) - redisBefore;
    double wallMillis = (System.nanoTime() - start) / 1e6;
    long calls = leaseCalls.get() - callsBefore;
    List<String> statements = List.copyOf(leader.statements());
    // The second count is itself a transaction.
    long transactions = transactions(jdbi) - transactionsBefore - 1;
    return new Idle(
        100 * redisMillis / wallMillis,
        calls,
        statements,
        transactions,
        SchedulerBench.loadAverage());
  }

  /** Transactions committed or rolled back in every database of the server so far. */
  private static long transactions(Jdbi jdbi) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "select sum(xact_commit + xact_rollback)::bigint from pg_stat_database")
                .mapTo(Long.class)
                .one());
  }

  private double[] firstLeases(RedisWorkQueue scheduler, int jobs) throws InterruptedException {
    double[] millis = new double[jobs];
    for (int j = 0; j < jobs; j++) {
      List<ShardTask> tasks = tasks(1);
      UUID jobId = tasks.get(0).jobId();
      long enqueued = System.nanoTime();
      scheduler.enqueue(tasks);
      while (!firstLease.containsKey(jobId)) {
        Thread.sleep(0, 200_000);
      }
      millis[j] = (firstLease.get(jobId) - enqueued) / 1e6;
      Thread.sleep(50);
    }
    return millis;
  }

  private double everyAgentBusy(RedisWorkQueue scheduler, int agents) throws InterruptedException {
    Thread.sleep(500);
    long before = leased.get();
    long enqueued = System.nanoTime();
    scheduler.enqueue(tasks(agents));
    long deadline = enqueued + TimeUnit.SECONDS.toNanos(60);
    while (leased.get() - before < agents && System.nanoTime() < deadline) {
      Thread.sleep(0, 200_000);
    }
    return (System.nanoTime() - enqueued) / 1e6;
  }

  private static List<ShardTask> tasks(int count) {
    UUID jobId = UUID.randomUUID();
    UUID owner = UUID.randomUUID();
    List<ShardTask> tasks = new ArrayList<>(count);
    for (int idx = 0; idx < count; idx++) {
      tasks.add(
          new ShardTask(
              jobId,
              idx,
              owner,
              PROCESSOR,
              0,
              3,
              "bench",
              "in",
              idx * 100L,
              idx * 100L + 100,
              count * 100L,
              "TEXT",
              null,
              null,
              null,
              Map.of(),
              "bench-results"));
    }
    return tasks;
  }

  private static double percentile(double[] values, int percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /**
   * The scheduler's leader as the scheduler service runs it (the scheduler's stages, the notify
   * stage, the credit settler), on a Jdbi of its own that records every statement it sends.
   */
  private record Leader(
      Scheduler scheduler, Notifier notifier, LeaderOnlyPoller settler, List<String> statements)
      implements AutoCloseable {
    static Leader start(BenchServices services, RedissonClient redisson) {
      List<String> statements = new CopyOnWriteArrayList<>();
      Jdbi jdbi = Databases.jdbi(services.dataSource());
      jdbi.setSqlLogger(
          new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
              statements.add(
                  Thread.currentThread().getName()
                      + ": "
                      + context.getRenderedSql().strip().replaceAll("\\s+", " "));
            }
          });
      MetricRegistry metrics = new MetricRegistry();
      Clock clock = Clock.systemUTC();
      SchedulerSettings settings = SchedulerSettings.defaults("idle-fleet-leader");
      Scheduler scheduler =
          new Scheduler(jdbi, redisson, services.store(), settings, clock, metrics);
      Notifier notifier =
          new Notifier(
              jdbi,
              scheduler.leadership(),
              scheduler.workSignals(),
              NotificationSettings.defaults(),
              Pricing.DEFAULT,
              settings.tick(),
              clock,
              metrics);
      CreditSettler credits = new CreditSettler(jdbi, PriceTable.flat(Pricing.DEFAULT), clock);
      LeaderOnlyPoller settler =
          LeaderOnlyPoller.wakeable(
              "credit-settler",
              settings.tick(),
              scheduler.leadership()::isLeader,
              credits::tick,
              metrics);
      scheduler.workSignals().subscribe(settler::wake);
      scheduler.start();
      notifier.start();
      settler.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!scheduler.leadership().isLeader() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return new Leader(scheduler, notifier, settler, statements);
    }

    @Override
    public void close() {
      settler.stop();
      notifier.close();
      scheduler.close();
    }
  }
}
