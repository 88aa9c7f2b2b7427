package dev.kiln.scheduler.outbox;

import dev.kiln.db.ShardDao;
import dev.kiln.model.OutboxEventType;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.db.SchedulerDao.JobRef;
import dev.kiln.scheduler.db.SchedulerDao.OutboxItem;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.plan.QueueRebuilder;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the API's outbox events: {@code job.cancelled} drops the job's work from Redis (its
 * running shards' agents are told to stop by their next heartbeat), deletes its parts and marks its
 * waiting shards CANCELLED; {@code job.retried} enqueues the shards the API moved back to QUEUED.
 * Each event is recorded as handled once acted on. Used by one poller thread.
 */
public final class OutboxReactor {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxReactor.class);

  private final Jdbi jdbi;
  private final RedisWorkQueue queue;
  private final QueueRebuilder rebuilder;
  private final ObjectStore store;
  private final Leadership leadership;
  private final Clock clock;

  public OutboxReactor(
      Jdbi jdbi,
      RedisWorkQueue queue,
      QueueRebuilder rebuilder,
      ObjectStore store,
      Leadership leadership,
      Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.queue = queue;
    this.rebuilder = rebuilder;
    this.leadership = leadership;
    this.clock = clock;
  }

  /** Handles a batch of events; answers true when there may be more. */
  public boolean react() {
    List<OutboxItem> items = jdbi.onDemand(SchedulerDao.class).unhandledEvents(100);
    for (OutboxItem item : items) {
      if (item.type() == OutboxEventType.CANCELLED) {
        queue.cancelJob(item.jobId());
        deleteParts(item.jobId());
      } else {
        jdbi.useTransaction(
            handle -> {
              leadership.fence(handle);
              handle.attach(ShardDao.class).requeueForRetry(item.jobId(), clock.instant());
            });
        rebuilder.enqueueJob(item.jobId());
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
    return items.size() == 100;
  }

  /**
   * Deletes a cancelled job's parts at once; parts its agents write before they stop are deleted by
   * the housekeeper once {@code partsRetention} has passed.
   */
  private void deleteParts(UUID jobId) {
    JobRef job = jdbi.onDemand(SchedulerDao.class).jobRef(jobId).orElse(null);
    if (job != null) {
      int deleted =
          store.deletePrefix(
              store.settings().resultsBucket(), ObjectKeys.partsPrefix(job.ownerId(), jobId));
      LOG.info("deleted {} parts of cancelled job {}", deleted, jobId);
    }
  }
}
