package dev.kiln.scheduler.plan;

import dev.kiln.db.JobDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.Job;
import dev.kiln.model.Shard;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every QUEUED shard of every RUNNING job into Redis from Postgres: after Redis lost its data
 * (a new epoch from Postgres first) and on election (shards planned but never enqueued). Enqueueing
 * is idempotent, so shards already in Redis stay as they are. Used by one thread.
 */
public final class QueueRebuilder {
  private static final Logger LOG = LoggerFactory.getLogger(QueueRebuilder.class);

  private final Jdbi jdbi;
  private final RedisWorkQueue queue;
  private final TaskBuilder tasks;
  private final SchedulerSettings settings;

  public QueueRebuilder(
      Jdbi jdbi, RedisWorkQueue queue, SchedulerSettings settings, String resultsBucket) {
    this.jdbi = jdbi;
    this.queue = queue;
    this.settings = settings;
    this.tasks = new TaskBuilder(settings, resultsBucket);
  }

  /** Starts a new epoch when the key is missing; answers whether it did. */
  public boolean ensureEpoch() {
    if (!queue.epochMissing()) {
      return false;
    }
    long epoch = jdbi.onDemand(SchedulerDao.class).nextEpoch();
    long inForce = queue.ensureEpoch(epoch);
    LOG.warn("Redis queue epoch was missing; rebuilding from Postgres in epoch {}", inForce);
    return true;
  }

  /** Enqueues every waiting shard of every running job; answers how many were added. */
  public int reconcile() {
    settings.processorCaps().forEach(queue::setConcurrencyCap);
    List<Shard> waiting = jdbi.onDemand(ShardDao.class).listQueuedOfRunningJobs();
    Map<UUID, List<Shard>> byJob = new LinkedHashMap<>();
    for (Shard shard : waiting) {
      byJob.computeIfAbsent(shard.jobId(), id -> new ArrayList<>()).add(shard);
    }
    int added = 0;
    for (Map.Entry<UUID, List<Shard>> entry : byJob.entrySet()) {
      added += enqueueJob(entry.getKey(), entry.getValue());
    }
    if (added > 0) {
      LOG.info("re-enqueued {} of {} waiting shards from Postgres", added, waiting.size());
    }
    return added;
  }

  /** Enqueues the waiting shards of one job (after a retry); answers how many were added. */
  public int enqueueJob(UUID jobId) {
    List<Shard> waiting =
        jdbi.onDemand(ShardDao.class).listForJob(jobId).stream()
            .filter(s -> s.state() == dev.kiln.model.ShardState.QUEUED)
            .toList();
    return enqueueJob(jobId, waiting);
  }

  private int enqueueJob(UUID jobId, List<Shard> shards) {
    if (shards.isEmpty()) {
      return 0;
    }
    Map<Integer, Integer> recorded = new HashMap<>();
    for (Shard shard : shards) {
      recorded.put(shard.idx(), shard.attempt());
    }
    List<ShardTask> built =
        jdbi.withHandle(
            handle -> {
              Job job = handle.attach(JobDao.class).findById(jobId).orElse(null);
              return job == null ? List.<ShardTask>of() : tasks.tasks(handle, job, shards);
            });
    OptionalInt added = queue.enqueue(built, task -> recorded.getOrDefault(task.idx(), 0));
    if (added.isEmpty()) {
      throw new IllegalStateException("the queue epoch vanished during the rebuild; retrying");
    }
    return added.getAsInt();
  }
}
