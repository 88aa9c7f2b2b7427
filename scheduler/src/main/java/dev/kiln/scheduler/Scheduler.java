package dev.kiln.scheduler;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.assemble.Assembler;
import dev.kiln.scheduler.housekeeping.Housekeeper;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.outbox.OutboxReactor;
import dev.kiln.scheduler.plan.Planner;
import dev.kiln.scheduler.plan.QueueRebuilder;
import dev.kiln.scheduler.record.CompletionSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler process: leader election plus the leader-only pollers (planner, completion sink,
 * reaper with the epoch check, assembler, outbox reactor, housekeeper). Several may run against the
 * same Postgres and Redis; only the leader works. Wired by hand; usable in-process. Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
  /** The topic the API publishes submitted job ids on. */
  public static final String SUBMITTED_TOPIC = "kiln:jobs:submitted";

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final Leadership leadership;
  private final RedisWorkQueue queue;
  private final QueueRebuilder rebuilder;
  private final CompletionSink sink;
  private final Clock clock;
  private final RedissonClient redisson;
  private final LeaderOnlyPoller election;
  private final LeaderOnlyPoller planner;
  private final LeaderOnlyPoller sinkPoller;
  private final LeaderOnlyPoller reaper;
  private final LeaderOnlyPoller assembler;
  private final List<LeaderOnlyPoller> pollers;
  private final AtomicBoolean reconcile = new AtomicBoolean(true);
  private final ExecutorService io;
  private final ExecutorService prefetch;
  private volatile int listenerId = -1;
  private long lastSinkReset;

  public Scheduler(
      Jdbi jdbi,
      RedissonClient redisson,
      ObjectStore store,
      SchedulerSettings settings,
      Clock clock,
      MetricRegistry metrics) {
    this.redisson = redisson;
    this.clock = clock;
    this.queue = new RedisWorkQueue(redisson, clock);
    this.leadership =
        new Leadership(redisson, jdbi, clock, settings.nodeId(), settings.leaderLease().toMillis());
    String results = store.settings().resultsBucket();
    this.rebuilder = new QueueRebuilder(jdbi, queue, settings, results);
    this.io =
        Executors.newFixedThreadPool(
            8,
            runnable -> {
              Thread thread = new Thread(runnable, "kiln-scheduler-io");
              thread.setDaemon(true);
              return thread;
            });
    this.prefetch =
        Executors.newFixedThreadPool(
            16,
            runnable -> {
              Thread thread = new Thread(runnable, "kiln-scheduler-prefetch");
              thread.setDaemon(true);
              return thread;
            });
    Planner plannerWork = new Planner(jdbi, store, queue, leadership, settings, clock, io);
    Assembler assemblerWork =
        new Assembler(jdbi, store, leadership, settings, clock, metrics, io, prefetch);
    OutboxReactor reactor = new OutboxReactor(jdbi, queue, rebuilder, leadership, clock);
    Housekeeper housekeeper = new Housekeeper(jdbi, store, settings, clock);
    Duration tick = settings.tick();
    this.assembler =
        new LeaderOnlyPoller(
            "assembler", tick, leadership::isLeader, assemblerWork::assembleReady, metrics);
    this.sink =
        new CompletionSink(
            jdbi, queue, leadership, clock, settings.sinkBatch(), metrics, assembler::wake);
    this.election =
        new LeaderOnlyPoller(
            "election",
            Duration.ofMillis(Math.max(100, settings.leaderLease().toMillis() / 5)),
            () -> true,
            () -> {
              leadership.tick();
              return false;
            },
            metrics);
    this.planner =
        new LeaderOnlyPoller(
            "planner", tick, leadership::isLeader, plannerWork::planBatch, metrics);
    this.sinkPoller =
        new LeaderOnlyPoller(
            "sink", Duration.ofMillis(20), leadership::isLeader, this::sinkRound, metrics);
    this.reaper =
        new LeaderOnlyPoller(
            "reaper", settings.reapInterval(), leadership::isLeader, this::reap, metrics);
    this.pollers =
        List.of(
            election,
            planner,
            sinkPoller,
            reaper,
            assembler,
            new LeaderOnlyPoller("outbox", tick, leadership::isLeader, reactor::react, metrics),
            new LeaderOnlyPoller(
                "housekeeper",
                Duration.ofMinutes(1),
                leadership::isLeader,
                housekeeper::sweep,
                metrics));
    leadership.onElected(
        token -> {
          reconcile.set(true);
          sinkPoller.wake();
          planner.wake();
        });
  }

  public RedisWorkQueue queue() {
    return queue;
  }

  public Leadership leadership() {
    return leadership;
  }

  /** Starts the pollers and listens for submitted jobs. */
  public void start() {
    RTopic topic = redisson.getTopic(SUBMITTED_TOPIC);
    listenerId = topic.addListener(String.class, (channel, jobId) -> planner.wake());
    pollers.forEach(LeaderOnlyPoller::start);
  }

  /** Stops the pollers and hands leadership over. */
  @Override
  public void close() {
    if (listenerId >= 0) {
      try {
        redisson.getTopic(SUBMITTED_TOPIC).removeListener(listenerId);
      } catch (RuntimeException e) {
        LOG.debug("could not remove the topic listener", e);
      }
    }
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
