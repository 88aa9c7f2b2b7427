package dev.kiln.agent;

import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.Processors;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.LogFields;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.WorkQueue;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A worker: leases up to {@code k} shards for its processors, reads each one ahead on an I/O thread
 * while earlier ones compute on the worker pool, heartbeats all its leases, and reports each shard
 * as complete, failed or released. Nothing a shard does stops the agent. Thread-safe.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  /** Wait before leasing again after a failure. */
  private static final long RETRY_MILLIS = 1_000;

  /** How often the running shards' progress is reported. */
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  /** The agent's lifecycle. */
  private final AgentConfig config;

  private final WorkQueue queue;
  private final Processors processors;
  private final AgentRegistry registry;
  private final Clock clock;
  private final ShardWorker worker;
  private final Map<ShardRef, ShardJob> inFlight = new ConcurrentHashMap<>();
  private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.STARTING);
  private final AgentMetrics metrics;
  private final Tracing tracing;
  private final AtomicLong shardsDone = new AtomicLong();
  private final AtomicLong shardsFailed = new AtomicLong();
  private final ExecutorService io;
  private final ThreadPoolExecutor compute;
  private final ScheduledExecutorService heartbeats;
  private final Object leaseSignal = new Object();
  private volatile CompletableFuture<Boolean> queueWakeUp;
  private volatile AgentMetadata metadata;
  private volatile String drainReason = "";
  private volatile Instant drainDeadline = Instant.MAX;
  private Thread leaseLoop;

  public Agent(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      AgentRegistry registry,
      AgentMetadata metadata,
      Clock clock) {
    this(config, queue, store, processors, registry, metadata, clock, AgentMetrics.unscraped());
  }

  public Agent(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      AgentRegistry registry,
      AgentMetadata metadata,
      Clock clock,
      AgentMetrics metrics) {
    this(config, queue, store, processors, registry, metadata, clock, metrics, Tracing.off());
  }

  public Agent(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      AgentRegistry registry,
      AgentMetadata metadata,
      Clock clock,
      AgentMetrics metrics,
      Tracing tracing) {
    this(
        config,
        queue,
        store,
        processors,
        new S3ModelFiles(store, config.s3().uploadsBucket(), config.modelCacheDir()),
        registry,
        metadata,
        clock,
        metrics,
        tracing);
  }

  public Agent(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      ModelFiles models,
      AgentRegistry registry,
      AgentMetadata metadata,
      Clock clock) {
    this(
        config,
        queue,
        store,
        processors,
        models,
        registry,
        metadata,
        clock,
        AgentMetrics.unscraped(),
        Tracing.off());
  }

  private Agent(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      ModelFiles models,
      AgentRegistry registry,
      AgentMetadata metadata,
      Clock clock,
      AgentMetrics metrics,
      Tracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.config = config;
    this.queue = queue;
    this.processors = processors;
    this.registry = registry;
    this.metadata = metadata;
    this.clock = clock;
    this.io = Executors.newCachedThreadPool(threads("kiln-agent-io"));
    this.compute =
        new ThreadPoolExecutor(
            config.workers(),
            config.workers(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            threads("kiln-agent-compute"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(threads("kiln-agent-heartbeat"));
    this.worker =
        new ShardWorker(
            config, queue, store, processors, models, io, () -> this.metadata.machine(), metrics);
  }

  /** Starts leasing and heartbeating. */
  public synchronized void start() {
    if (leaseLoop != null) {
      throw new IllegalStateException("the agent is already started");
    }
    LOG.info(
        "Agent {} starts: processors {}, k={}, workers={}, device {}",
        config.agentId(),
        processors.names(),
        config.leaseBatch(),
        config.workers(),
        metadata.device());
    state.set(AgentState.RUNNING);
    publish();
    long beat = config.heartbeatInterval().toMillis();
    heartbeats.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    long every = PROGRESS_EVERY.toMillis();
    heartbeats.scheduleWithFixedDelay(this::reportProgress, every, every, TimeUnit.MILLISECONDS);
    leaseLoop = threads("kiln-agent-lease").newThread(this::leaseLoop);
    leaseLoop.start();
  }

  public AgentState state() {
    return state.get();
  }

  public String agentId() {
    return config.agentId();
  }

  /** Shards held now. */
  public int leases() {
    return inFlight.size();
  }

  public long shardsDone() {
    return shardsDone.get();
  }

  public long shardsFailed() {
    return shardsFailed.get();
  }

  public AgentMetadata metadata() {
    return metadata;
  }

  /** Replaces the metadata the registry shows (the device, once the processors know it). */
  public void metadata(AgentMetadata newMetadata) {
    this.metadata = newMetadata;
    publish();
  }

  private void leaseLoop() {
    MDC.put(LogFields.AGENT, config.agentId());
    long idleWait = config.pollInterval().toMillis();
    Instant waitingSince = null;
    long retryWait = Math.min(idleWait, RETRY_MILLIS);
    while (state.get() == AgentState.RUNNING) {
      try {
        int free = config.leaseBatch() - inFlight.size();
        if (free > 0 && drainedByOperator()) {
          break;
        }
        if (free > 0 && waitingSince == null) {
          waitingSince = clock.instant();
        }
        List<Lease> leases =
            free <= 0
                ? List.of()
                : queue.lease(config.agentId(), processors.names(), free, config.visibility());
        if (!leases.isEmpty() && waitingSince != null) {
          metrics.leaseWaited(Duration.between(waitingSince, clock.instant()));
          waitingSince = null;
        }
        for (Lease lease : leases) {
          accept(lease);
        }
        if (leases.isEmpty() && free <= 0) {
          waitForWork(50);
        } else if (leases.isEmpty()) {
          awaitQueueWakeUp(idleWait, retryWait);
        }
      } catch (RuntimeException e) {
        LOG.warn("Leasing failed; trying again in {} ms", retryWait, e);
        waitForWork(retryWait);
      } catch (Error e) {
        LOG.error("Leasing failed", e);
        waitForWork(retryWait);
      }
    }
  }

  /**
   * Reads the operator's drain mark before a lease; when it is set, the agent leases nothing more,
   * finishes every shard it holds (no deadline) and reports DRAINING. Answers whether it drains.
   */
  private boolean drainedByOperator() {
    Optional<String> reason = registry.operatorDrainReason(config.agentId());
    if (reason.isEmpty()) {
      return false;
    }
    synchronized (this) {
      if (!state.compareAndSet(AgentState.RUNNING, AgentState.DRAINING)) {
        return true;
      }
      drainReason = reason.get();
    }
    LOG.info(
        "Agent {} drains on an operator's request ({}): finishing the {} shards it holds",
        config.agentId(),
        reason.get(),
        inFlight.size());
    publish();
    return true;
  }

  /**
   * The waiting step of an agent with room and nothing to lease: blocks on the queue's wake-up
   * (work ready for one of its processors) for up to {@code longestMillis} instead of asking again
   * every few milliseconds, so an idle fleet costs Redis nothing. A drain or a shard of its own
   * ending cuts the local wait short; the wait in Redis stays outstanding (at most one) and is
   * picked up by the next call, or, when it ends while the agent is full or draining, its wake-up
   * is passed on to another agent.
   */
  private void awaitQueueWakeUp(long longestMillis, long retryWait) {
    CompletableFuture<Boolean> pending = queueWakeUp;
    if (pending == null || pending.isDone()) {
      pending = queue.awaitWork(processors.names(), Duration.ofMillis(longestMillis));
      pending.whenComplete(
          (woken, error) -> {
            if (Boolean.TRUE.equals(woken)
                && (inFlight.size() >= config.leaseBatch() || state.get() != AgentState.RUNNING)) {
              // Woken while it can take nothing: another agent waiting gets the wake-up.
              queue.passOnWakeUp(processors.names());
            }
            wakeLeaseLoop();
          });
      queueWakeUp = pending;
    }
    synchronized (leaseSignal) {
      try {
        if (!pending.isDone() && state.get() == AgentState.RUNNING) {
          leaseSignal.wait(longestMillis + RETRY_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state.compareAndSet(AgentState.RUNNING, AgentState.DRAINING);
      }
    }
    if (pending.isCompletedExceptionally()) {
      LOG.debug("Waiting for the queue's wake-up failed; asking again in {} ms", retryWait);
      waitForWork(retryWait);
    }
  }

  private void waitForWork(long millis) {
    synchronized (leaseSignal) {
      try {
        leaseSignal.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state.compareAndSet(AgentState.RUNNING, AgentState.DRAINING);
      }
    }
  }

  private void wakeLeaseLoop() {
    synchronized (leaseSignal) {
      leaseSignal.notifyAll();
    }
  }

  private void accept(Lease lease) {
    ShardJob job = new ShardJob(lease);
    inFlight.put(lease.ref(), job);
    LOG.debug("Leased {}", lease.ref());
    try {
      worker.prefetch(job);
      compute.execute(() -> runJob(job));
    } catch (RuntimeException e) {
      LOG.warn("Could not start {}", lease.ref(), e);
      job.stop(ShardJob.Stop.RELEASE);
      worker.release(job);
      inFlight.remove(lease.ref());
    }
  }

  private void runJob(ShardJob job) {
    MDC.put(LogFields.AGENT, config.agentId());
    MDC.put(LogFields.JOB, job.ref().jobId().toString());
    MDC.put(LogFields.SHARD, String.valueOf(job.ref().idx()));
    MDC.put(LogFields.ATTEMPT, String.valueOf(job.ref().attempt()));
    MDC.put(LogFields.ACCOUNT, String.valueOf(job.task().ownerId()));
    Span span = shardSpan(job);
    try (Scope ignored = span.makeCurrent()) {
      if (job.stop() == null
          && state.get() == AgentState.DRAINING
          && !drainDeadline.equals(Instant.MAX)
          && !fitsBeforeDeadline()) {
        job.stop(ShardJob.Stop.RELEASE);
      }
      ShardWorker.Outcome outcome = worker.run(job);
      metrics.shardEnded(outcome);
      span.setAttribute("kiln.outcome", outcome.name());
      if (outcome == ShardWorker.Outcome.FAILED) {
        span.setStatus(StatusCode.ERROR);
      }
      switch (outcome) {
        case COMPLETED -> shardsDone.incrementAndGet();
        case FAILED -> shardsFailed.incrementAndGet();
        default -> {}
      }
    } catch (Throwable e) {
      LOG.error("Shard {} broke the worker; releasing it", job.ref(), e);
      worker.release(job);
    } finally {
      span.end();
      inFlight.remove(job.ref());
      progressEnded(job.ref());
      wakeLeaseLoop();
      MDC.clear();
    }
  }

  /** The shard's span, a child of the span that planned it when the task carries its context. */
  private Span shardSpan(ShardJob job) {
    return tracing
        .tracer()
        .spanBuilder("shard " + job.task().processor())
        .setParent(Tracing.parent(job.task().traceParent()))
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute("kiln.job", job.ref().jobId().toString())
        .setAttribute("kiln.shard", job.ref().idx())
        .setAttribute("kiln.attempt", job.ref().attempt())
        .setAttribute("kiln.agent", config.agentId())
        .startSpan();
  }

  private boolean fitsBeforeDeadline() {
    double expected = worker.averageShardSeconds();
    if (expected <= 0) {
      return false;
    }
    Duration left = Duration.between(clock.instant(), drainDeadline);
    return left.toMillis() > expected * 1.2 * 1000;
  }

  /**
   * Reports how far the running shards have got. Runs on the heartbeat thread, as does {@link
   * #progressEnded}, so a shard's last report never lands after its end.
   */
  private void reportProgress() {
    try {
      List<RunningShards.Report> reports = new ArrayList<>();
      for (ShardJob job : inFlight.values()) {
        if (job.recordsRead() > 0 && job.stop() == null) {
          reports.add(job.report());
        }
      }
      registry.shardsProgress(reports);
    } catch (Throwable e) {
      LOG.debug("Reporting shard progress failed; trying again in {}", PROGRESS_EVERY, e);
    }
  }

  /** Withdraws the shard's progress after the shard left {@link #inFlight}. */
  private void progressEnded(ShardRef ref) {
    try {
      heartbeats.execute(
          () -> {
            try {
              registry.shardEnded(ref);
            } catch (RuntimeException e) {
              LOG.debug("Withdrawing the progress of {} failed; it expires on its own", ref, e);
            }
          });
    } catch (RejectedExecutionException stopping) {
      LOG.debug("The agent stops; the progress of {} expires on its own", ref);
    }
  }

  private void heartbeat() {
    try {
      Set<ShardRef> refs = Set.copyOf(inFlight.keySet());
      if (!refs.isEmpty()) {
        Set<ShardRef> stop = queue.heartbeat(config.agentId(), refs, config.visibility());
        for (ShardRef ref : stop) {
          ShardJob job = inFlight.get(ref);
          if (job != null) {
            LOG.info("Stopping {}: the queue cancelled it or gave its lease away", ref);
            job.stop(ShardJob.Stop.CANCEL);
          }
        }
      }
      publish();
    } catch (Throwable e) {
      LOG.warn("Heartbeat failed; trying again in {}", config.heartbeatInterval(), e);
    }
  }

  private void publish() {
    try {
      registry.publish(
          new AgentStatus(
              config.agentId(),
              metadata.instanceId(),
              metadata.instanceType(),
              metadata.amiId(),
              metadata.version(),
              metadata.gpu(),
              metadata.device(),
              metadata.processors().stream().sorted().toList(),
              state.get(),
              inFlight.size(),
              shardsDone.get(),
              shardsFailed.get(),
              drainReason,
              clock.instant(),
              metadata.purchaseOption().wireName()));
    } catch (RuntimeException e) {
      LOG.warn("Publishing the agent's status failed", e);
    }
  }

  /**
   * Stops leasing, lets running shards finish for up to {@code grace}, then releases what is left
   * (without spending attempts) and waits for that. Shards not started yet are started only if
   * their expected time fits before the deadline. Safe to call more than once and from any thread;
   * returns once the agent holds no shard.
   */
  public void drain(String reason, Duration grace) {
    Instant deadline = clock.instant().plus(grace);
    synchronized (this) {
      if (state.get() == AgentState.STOPPED) {
        return;
      }
      if (state.get() != AgentState.DRAINING) {
        drainReason = reason;
        LOG.info(
            "Agent {} drains ({}): {} shards held, {} s to finish",
            config.agentId(),
            reason,
            inFlight.size(),
            grace.toSeconds());
      }
      if (deadline.isBefore(drainDeadline)) {
        drainDeadline = deadline;
      }
      state.set(AgentState.DRAINING);
    }
    wakeLeaseLoop();
    publish();
    waitUntilEmpty(drainDeadline);
    for (ShardJob job : inFlight.values()) {
      job.stop(ShardJob.Stop.RELEASE);
    }
    waitUntilEmpty(clock.instant().plus(Duration.ofSeconds(30)));
    if (!inFlight.isEmpty()) {
      LOG.warn("{} shards still held after the drain; their leases will expire", inFlight.size());
    }
  }

  private void waitUntilEmpty(Instant deadline) {
    while (!inFlight.isEmpty() && clock.instant().isBefore(deadline)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Drains with the configured grace, then stops every thread and leaves the registry. */
  @Override
  public void close() {
    drain("stop", config.drainGrace());
    synchronized (this) {
      if (state.get() == AgentState.STOPPED) {
        return;
      }
      state.set(AgentState.STOPPED);
    }
    heartbeats.shutdownNow();
    compute.shutdownNow();
    io.shutdownNow();
    try {
      if (leaseLoop != null) {
        leaseLoop.join(5000);
      }
      compute.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publish();
    try {
      registry.remove(config.agentId());
    } catch (RuntimeException e) {
      LOG.warn("Leaving the registry failed", e);
    }
    LOG.info(
        "Agent {} stopped: {} shards done, {} failed",
        config.agentId(),
        shardsDone.get(),
        shardsFailed.get());
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
