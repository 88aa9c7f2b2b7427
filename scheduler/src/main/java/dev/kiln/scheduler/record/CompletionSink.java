package dev.kiln.scheduler.record;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.kiln.model.JobState;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.scheduler.db.JobFailure;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.record.ShardOutcomes.DeadShard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads finished attempts from the Redis stream and records a batch of them in one Postgres
 * transaction: completions with the once-only conditional update and the jobs' running totals, dead
 * letters as DEAD shards and FAILED jobs with the shard's reason. Events leave Redis only after the
 * commit; the jobs of a batch are then announced as {@link JobNews}, so their event streams show
 * the progress at once. Used by one poller thread.
 */
public final class CompletionSink {
  private final Jdbi jdbi;
  private final RedisWorkQueue queue;
  private final Leadership leadership;
  private final Clock clock;
  private final int batch;
  private final Meter recorded;
  private final Timer reading;
  private final Timer recording;
  private final Timer acknowledging;
  private final SchedulerMetrics histograms;
  private final Runnable onProgress;
  private final JobNews news;
  private String cursor;
  private CompletableFuture<List<QueueEvent>> nextRead;
  private CompletableFuture<Void> lastAck;

  public CompletionSink(
      Jdbi jdbi,
      RedisWorkQueue queue,
      Leadership leadership,
      Clock clock,
      int batch,
      MetricRegistry metrics,
      SchedulerMetrics histograms,
      Runnable onProgress,
      JobNews news) {
    this.news = news;
    this.jdbi = jdbi;
    this.queue = queue;
    this.leadership = leadership;
    this.clock = clock;
    this.batch = batch;
    this.recorded = metrics.meter("scheduler.sink.recorded");
    this.reading = metrics.timer("scheduler.sink.read");
    this.recording = metrics.timer("scheduler.sink.record");
    this.acknowledging = metrics.timer("scheduler.sink.acknowledge");
    this.histograms = histograms;
    this.onProgress = onProgress;
  }

  /**
   * Records one batch; answers true when the batch was full (more may be waiting). While Postgres
   * records a batch, the next one is already being read from Redis and the previous one is being
   * removed there.
   */
  public boolean drainBatch() {
    List<QueueEvent> events;
    try (Timer.Context ignored = reading.time()) {
      CompletableFuture<List<QueueEvent>> read =
          nextRead != null ? nextRead : queue.readEventsAfter(cursor, batch);
      nextRead = null;
      events = read.join();
    } catch (RuntimeException e) {
      reset();
      throw e;
    }
    if (events.isEmpty()) {
      return false;
    }
    String last = events.get(events.size() - 1).streamId();
    boolean full = events.size() >= batch;
    if (full) {
      nextRead = queue.readEventsAfter(last, batch);
    }
    try {
      record(events);
    } catch (RuntimeException e) {
      reset();
      throw e;
    }
    cursor = last;
    return full;
  }

  /** Reads from the oldest unacknowledged event again (after a failure, election or rebuild). */
  public void reset() {
    CompletableFuture<List<QueueEvent>> pending = nextRead;
    nextRead = null;
    if (pending != null) {
      pending.cancel(false);
    }
    CompletableFuture<Void> ack = lastAck;
    lastAck = null;
    if (ack != null) {
      try {
        ack.join();
      } catch (RuntimeException e) {
        // The events stay in Redis and are read and recorded again.
      }
    }
    cursor = null;
  }

  private void record(List<QueueEvent> events) {
    List<QueueEvent> done = new ArrayList<>();
    List<QueueEvent> dead = new ArrayList<>();
    for (QueueEvent event : events) {
      (event.isCompletion() ? done : dead).add(event);
    }
    Instant now = clock.instant();
    Timer.Context recordTime = recording.time();
    List<UUID> failedJobs =
        jdbi.inTransaction(
            handle -> {
              leadership.fence(handle);
              ShardOutcomes.recordDone(handle, done, now);
              List<DeadShard> deadShards = ShardOutcomes.recordDead(handle, dead, now);
              Map<UUID, DeadShard> firstPerJob = new LinkedHashMap<>();
              for (DeadShard shard : deadShards) {
                firstPerJob.putIfAbsent(shard.jobId(), shard);
              }
              List<UUID> failed = new ArrayList<>();
              for (DeadShard shard : firstPerJob.values()) {
                String reason = "shard " + shard.idx() + " was dead-lettered: " + shard.lastError();
                if (JobFailure.fail(
                    handle,
                    shard.jobId(),
                    List.of(JobState.RUNNING, JobState.ASSEMBLING),
                    reason,
                    now)) {
                  failed.add(shard.jobId());
                }
              }
              return failed;
            });
    recordTime.stop();
    try (Timer.Context ignored = acknowledging.time()) {
      if (lastAck != null) {
        lastAck.join();
      }
      lastAck = queue.acknowledgeAsync(events);
    }
    for (UUID job : failedJobs) {
      queue.cancelJob(job);
    }
    news.announceAll(events.stream().map(QueueEvent::jobId).toList());
    recorded.mark(events.size());
    observe(done, clock.instant());
    if (!done.isEmpty()) {
      onProgress.run();
    }
  }

  /** Each completion's service time, and its delay from the agent's report to its record. */
  private void observe(List<QueueEvent> done, Instant recordedAt) {
    for (QueueEvent event : done) {
      histograms.shardCompleted(
          event.result().busySeconds(), Duration.between(event.appendedAt(), recordedAt));
    }
  }

  /** Records every waiting event (used on election before reconciling the queue). */
  public void drainAll() {
    reset();
    while (drainBatch()) {
      // keep going
    }
    reset();
  }
}
