package dev.kiln.scheduler.core;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.kiln.core.db.JobDao;
import dev.kiln.core.db.OutboxDao;
import dev.kiln.core.model.Job;
import dev.kiln.core.model.JobState;
import dev.kiln.core.queue.QueueEvent;
import dev.kiln.core.queue.RedisWorkQueue;
import dev.kiln.scheduler.db.ShardOutcomes;
import dev.kiln.scheduler.db.ShardOutcomes.DeadShard;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads finished attempts from the Redis stream and records a batch of them in one Postgres
 * transaction: completions with the once-only conditional update and the jobs' running totals, dead
 * letters as DEAD shards and FAILED jobs with the shard's reason. Events leave Redis only after the
 * commit. Used by one poller thread.
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
  private final Runnable onProgress;

  public CompletionSink(
      Jdbi jdbi,
      RedisWorkQueue queue,
      Leadership leadership,
      Clock clock,
      int batch,
      MetricRegistry metrics,
      Runnable onProgress) {
    this.jdbi = jdbi;
    this.queue = queue;
    this.leadership = leadership;
    this.clock = clock;
    this.batch = batch;
    this.recorded = metrics.meter("scheduler.sink.recorded");
    this.reading = metrics.timer("scheduler.sink.read");
    this.recording = metrics.timer("scheduler.sink.record");
    this.acknowledging = metrics.timer("scheduler.sink.acknowledge");
    this.onProgress = onProgress;
  }

  /** Records one batch; answers true when the batch was full (more may be waiting). */
  public boolean drainBatch() {
    List<QueueEvent> events;
    try (Timer.Context ignored = reading.time()) {
      events = queue.readEvents(batch);
    }
    if (events.isEmpty()) {
      return false;
    }
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
              JobDao jobs = handle.attach(JobDao.class);
              for (DeadShard shard : firstPerJob.values()) {
                String reason = "shard " + shard.idx() + " was dead-lettered: " + shard.lastError();
                if (jobs.transition(
                        shard.jobId(),
                        List.of(JobState.RUNNING, JobState.ASSEMBLING),
                        JobState.FAILED,
                        reason,
                        now)
                    == 1) {
                  Job job = jobs.findById(shard.jobId()).orElseThrow();
                  handle
                      .attach(OutboxDao.class)
                      .append(
                          job.id(), job.ownerId(), "job.failed", Planner.reasonJson(reason), now);
                  failed.add(job.id());
                }
              }
              return failed;
            });
    recordTime.stop();
    try (Timer.Context ignored = acknowledging.time()) {
      queue.acknowledge(events);
    }
    for (UUID job : failedJobs) {
      queue.cancelJob(job);
    }
    recorded.mark(events.size());
    if (!done.isEmpty()) {
      onProgress.run();
    }
    return events.size() == batch;
  }

  /** Records every waiting event (used on election before reconciling the queue). */
  public void drainAll() {
    while (drainBatch()) {
      // keep going
    }
  }
}
