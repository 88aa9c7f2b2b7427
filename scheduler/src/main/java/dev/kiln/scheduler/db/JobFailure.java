package dev.kiln.scheduler.db;

import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Fails a job with a reason its owner can act on and writes its {@code job.failed} event, inside
 * the caller's transaction; the shards that had not run yet end CANCELLED (the caller, or else the
 * queue reconciler, drops them from Redis). Stateless.
 */
public final class JobFailure {
  private JobFailure() {}

  /**
   * Moves the job from one of {@code from} to FAILED with {@code reason} and appends {@code
   * job.failed}; answers false, and writes nothing, when the job was in none of those states.
   */
  public static boolean fail(
      Handle handle, UUID jobId, List<JobState> from, String reason, Instant now) {
    JobDao jobs = handle.attach(JobDao.class);
    if (jobs.transition(jobId, from, JobState.FAILED, reason, now) != 1) {
      return false;
    }
    handle.attach(ShardDao.class).cancelQueued(jobId, now);
    Job job = jobs.findById(jobId).orElseThrow();
    handle
        .attach(OutboxDao.class)
        .append(job.id(), job.ownerId(), OutboxEventType.FAILED, Events.reasonJson(reason), now);
    return true;
  }
}
