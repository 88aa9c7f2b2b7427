package dev.kiln.scheduler.outbox;

import dev.kiln.db.ShardDao;
import dev.kiln.model.OutboxEventType;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.db.SchedulerDao.OutboxItem;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.plan.QueueRebuilder;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Acts on the API's outbox events: {@code job.cancelled} drops the job's work from Redis (its
 * running shards' agents are told to stop by their next heartbeat) and marks its waiting shards
 * CANCELLED; {@code job.retried} enqueues the shards the API moved back to QUEUED. A cancelled job
 * keeps its parts until the housekeeper's {@code partsRetention} passes, so that its owner's retry
 * resumes from its finished shards. Each event is recorded as handled once acted on. Used by one
 * poller thread.
 */
public final class OutboxReactor {
  private final Jdbi jdbi;
  private final RedisWorkQueue queue;
  private final QueueRebuilder rebuilder;
  private final Leadership leadership;
  private final Clock clock;
  private final Runnable requeued;

  /**
   * @param requeued told after a retried job's shards are waiting again
   */
  public OutboxReactor(
      Jdbi jdbi,
      RedisWorkQueue queue,
      QueueRebuilder rebuilder,
      Leadership leadership,
      Clock clock,
      Runnable requeued) {
    this.requeued = requeued;
    this.jdbi = jdbi;
    this.queue = queue;
    this.rebuilder = rebuilder;
    this.leadership = leadership;
    this.clock = clock;
  }

  /** Handles a batch of events; idle when none was waiting. */
  public Pass react() {
    List<OutboxItem> items = jdbi.onDemand(SchedulerDao.class).unhandledEvents(100);
    for (OutboxItem item : items) {
      if (item.type() == OutboxEventType.CANCELLED) {
        queue.cancelJob(item.jobId());
      } else {
        jdbi.useTransaction(
            handle -> {
              leadership.fence(handle);
              handle.attach(ShardDao.class).requeueForRetry(item.jobId(), clock.instant());
            });
        rebuilder.enqueueJob(item.jobId());
        requeued.run();
      }
      jdbi.useTransaction(
          handle -> {
            leadership.fence(handle);
            if (item.type() == OutboxEventType.CANCELLED) {
              handle.attach(ShardDao.class).cancelQueued(item.jobId(), clock.instant());
            }
            handle.attach(SchedulerDao.class).markHandled(item.id(), clock.instant());
          });
    }
    return Pass.of(items.size(), items.size() == 100);
  }
}
