package dev.kiln.scheduler;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.QueueRepair;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.scheduler.assemble.Assembler;
import dev.kiln.scheduler.housekeeping.Housekeeper;
import dev.kiln.scheduler.leader.FailureBackoff;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.outbox.OutboxReactor;
import dev.kiln.scheduler.outbox.WorkSignals;
import dev.kiln.scheduler.plan.Planner;
import dev.kiln.scheduler.plan.QueueRebuilder;
import dev.kiln.scheduler.plan.QueueReconciler;
import dev.kiln.scheduler.record.CompletionSink;
import dev.kiln.scheduler.settings.SchedulerSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler process: leader election plus the leader-only pollers (planner, completion sink,
 * reaper with the epoch check, assembler, outbox reactor, housekeeper, queue reconciler). Several
 * may run against the same Postgres and Redis; only the leader works. Wired by hand; usable
 * in-process. Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
  /** The topic the API publishes submitted job ids on. */
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private static final Duration SINK_INTERVAL = Duration.ofMillis(20);
  private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);
  private static final long SHORTEST_RENEWAL_MILLIS = 100;
  private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(10);
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(10);
  private static final Duration RESTORED_LEASE = Duration.ofSeconds(60);

  private final RedissonClient redisson;
  private final Clock clock;
  private final MetricRegistry metrics;
  private final RedisWorkQueue queue;
  private final JobNews news;
  private final Tracing tracing;
  private final Leadership leadership;
  private final QueueRebuilder rebuilder;
  private final ExecutorService io = daemonThreads(8, "kiln-scheduler-io");
  private final ExecutorService prefetch = daemonThreads(16, "kiln-scheduler-prefetch");
  private final LeaderOnlyPoller assembler;
  private final CompletionSink sink;
  private final LeaderOnlyPoller planner;
  private final LeaderOnlyPoller sinkPoller;
  private final WorkSignals workSignals;
  private final List<LeaderOnlyPoller> pollers;
  private final AtomicBoolean reconcile = new AtomicBoolean(true);
  private volatile int listenerId = -1;
  private long lastSinkReset;

  /** A scheduler whose Prometheus histograms go nowhere (tests and benchmarks). */
  public Scheduler(
      Jdbi jdbi,
      RedissonClient redisson,
      ObjectStore store,
      SchedulerSettings settings,
      Clock clock,
      MetricRegistry metrics) {
    this(
        jdbi,
        redisson,
        store,
        settings,
        clock,
        metrics,
        SchedulerMetrics.registeredIn(new PrometheusRegistry()),
        Tracing.off());
  }

  public Scheduler(
      Jdbi jdbi,
      RedissonClient redisson,
      ObjectStore store,
      SchedulerSettings settings,
      Clock clock,
      MetricRegistry metrics,
      SchedulerMetrics histograms,
      Tracing tracing) {
    this.tracing = tracing;
    this.redisson = redisson;
    this.clock = clock;
    this.metrics = metrics;
    this.queue = new RedisWorkQueue(redisson, clock);
    this.news = new JobNews(redisson);
    this.leadership =
        new Leadership(redisson, jdbi, clock, settings.nodeId(), settings.leaderLease().toMillis());
    this.rebuilder = new QueueRebuilder(jdbi, queue, settings, store.settings().resultsBucket());
    this.workSignals = new WorkSignals(jdbi);
    this.assembler = assemblerPoller(jdbi, store, settings, histograms);
    this.sink =
        new CompletionSink(
            jdbi,
            queue,
            leadership,
            clock,
            settings.sinkBatch(),
            metrics,
            histograms,
            assembler::wake,
            news);
    this.planner = plannerPoller(jdbi, store, settings);
    this.sinkPoller = leaderOnly("sink", SINK_INTERVAL, this::sinkRound);
    LeaderOnlyPoller outbox = outboxPoller(jdbi, settings);
    this.pollers =
        List.of(
            electionPoller(settings),
            planner,
            sinkPoller,
            leaderOnly("reaper", settings.reapInterval(), this::reap),
            assembler,
            outbox,
            housekeeperPoller(jdbi, store, settings),
            reconcilerPoller(jdbi, store, settings));
    workSignals.subscribe(planner::wake);
    workSignals.subscribe(outbox::wake);
    workSignals.subscribe(assembler::wake);
    leadership.onElected(token -> onElected());
  }

  /** Renews or takes the leader lock, on every node, five times per lease. */
  private LeaderOnlyPoller electionPoller(SchedulerSettings settings) {
    Duration renewal =
        Duration.ofMillis(Math.max(SHORTEST_RENEWAL_MILLIS, settings.leaderLease().toMillis() / 5));
    // Never wait out a failure longer than a renewal: the lock must be renewed or taken in time.
    FailureBackoff backoff =
        new FailureBackoff(
            "election",
            clock,
            () -> ThreadLocalRandom.current().nextDouble(),
            LoggerFactory.getLogger(LeaderOnlyPoller.class),
            renewal);
    return new LeaderOnlyPoller(
        "election",
        renewal,
        () -> true,
        () -> {
          leadership.tick();
          return false;
        },
        metrics,
        backoff);
  }

  private LeaderOnlyPoller plannerPoller(Jdbi jdbi, ObjectStore store, SchedulerSettings settings) {
    Planner work = new Planner(jdbi, store, queue, leadership, settings, clock, io, news, tracing);
    return wakeable("planner", settings.tick(), work::planBatch);
  }

  private LeaderOnlyPoller assemblerPoller(
      Jdbi jdbi, ObjectStore store, SchedulerSettings settings, SchedulerMetrics histograms) {
    Assembler work =
        new Assembler(
            jdbi, store, leadership, settings, clock, metrics, histograms, io, prefetch, news);
    return wakeable("assembler", settings.tick(), work::assembleReady);
  }

  private LeaderOnlyPoller outboxPoller(Jdbi jdbi, SchedulerSettings settings) {
    OutboxReactor work =
        new OutboxReactor(jdbi, queue, rebuilder, leadership, clock, workSignals::raise);
    return wakeable("outbox", settings.tick(), work::react);
  }

  private LeaderOnlyPoller housekeeperPoller(
      Jdbi jdbi, ObjectStore store, SchedulerSettings settings) {
    Housekeeper work = new Housekeeper(jdbi, store, settings, clock);
    return leaderOnly("housekeeper", HOUSEKEEPING_INTERVAL, work::sweep);
  }

  private LeaderOnlyPoller reconcilerPoller(
      Jdbi jdbi, ObjectStore store, SchedulerSettings settings) {
    QueueReconciler work =
        new QueueReconciler(
            jdbi,
            queue,
            new QueueRepair(redisson, queue.settings()),
            settings,
            store.settings().resultsBucket(),
            clock,
            metrics,
            RECONCILE_GRACE,
            RESTORED_LEASE,
            workSignals::count);
    return leaderOnly(
        "reconciler",
        RECONCILE_INTERVAL,
        () -> {
          work.reconcile();
          return false;
        });
  }

  private LeaderOnlyPoller leaderOnly(String name, Duration interval, LeaderOnlyPoller.Work work) {
    return new LeaderOnlyPoller(name, interval, leadership::isLeader, work, metrics);
  }

  private LeaderOnlyPoller wakeable(
      String name, Duration interval, LeaderOnlyPoller.IdleAwareWork work) {
    return LeaderOnlyPoller.wakeable(name, interval, leadership::isLeader, work, metrics);
  }

  /**
   * A new leader first records what waits in Redis and rebuilds, then plans at once; every stage
   * looks at once at what waits in the database, since its last look was a standby's.
   */
  private void onElected() {
    reconcile.set(true);
    pollers.forEach(LeaderOnlyPoller::wake);
  }

  private static ExecutorService daemonThreads(int threads, String name) {
    return Executors.newFixedThreadPool(
        threads,
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  public RedisWorkQueue queue() {
    return queue;
  }

  public Leadership leadership() {
    return leadership;
  }

  /**
   * The database's signal that work was added: a stage that waits for work it finds in the database
   * subscribes its wake-up here.
   */
  public WorkSignals workSignals() {
    return workSignals;
  }

  /** Starts the pollers and listens for submitted jobs and work signals. */
  public void start() {
    RTopic topic = redisson.getTopic(RedisKeys.JOBS_SUBMITTED);
    listenerId = topic.addListener(String.class, (channel, jobId) -> planner.wake());
    pollers.forEach(LeaderOnlyPoller::start);
    workSignals.start();
  }

  /** Stops the pollers and hands leadership over. */
  @Override
  public void close() {
    if (listenerId >= 0) {
      try {
        redisson.getTopic(RedisKeys.JOBS_SUBMITTED).removeListener(listenerId);
      } catch (RuntimeException e) {
        LOG.debug("could not remove the topic listener", e);
      }
    }
    workSignals.close();
    pollers.forEach(LeaderOnlyPoller::stop);
    io.shutdownNow();
    prefetch.shutdownNow();
    try {
      leadership.resign();
    } catch (RuntimeException e) {
      LOG.debug("could not resign", e);
    }
  }

  /**
   * Stops every poller without handing leadership over, as a crashed process would: followers take
   * over only once the leader lock expires. For fault tests.
   */
  public void halt() {
    workSignals.close();
    pollers.forEach(LeaderOnlyPoller::stop);
    io.shutdownNow();
    prefetch.shutdownNow();
  }

  /** The sink thread also rebuilds, so no completion is applied while the queue is rebuilt. */
  private boolean sinkRound() {
    if (rebuilder.ensureEpoch()) {
      reconcile.set(true);
    }
    if (reconcile.getAndSet(false)) {
      try {
        sink.drainAll();
        rebuilder.reconcile();
      } catch (RuntimeException e) {
        reconcile.set(true);
        throw e;
      }
    }
    long now = clock.millis();
    if (now - lastSinkReset > 30_000) {
      // A periodic re-read from the oldest event catches any whose removal failed.
      lastSinkReset = now;
      sink.reset();
    }
    return sink.drainBatch();
  }

  private boolean reap() {
    if (queue.epochMissing()) {
      sinkPoller.wake();
      return false;
    }
    var result = queue.reap(clock.instant());
    if (result.deadLettered() > 0) {
      sinkPoller.wake();
    }
    return false;
  }
}
