package dev.kiln.scheduler.plan;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.JobDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.Job;
import dev.kiln.model.Shard;
import dev.kiln.protocol.queue.QueueRepair;
import dev.kiln.protocol.queue.QueueRepair.Finding;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardId;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where Redis and Postgres disagree about waiting work and repairs it, for when Redis lost
 * part of its state (an evicted key, a failover to a lagging replica) without losing its epoch:
 *
 * <ul>
 *   <li>a shard Postgres counts as waiting (QUEUED, of a RUNNING job) whose hash Redis lacks is
 *       enqueued again, its attempt set past those issued before the loss;
 *   <li>one whose hash is there but whose ready-set, lease or delay entry is gone gets that entry
 *       back (a lease keeps running: its deadline is put back, never the shard re-run);
 *   <li>one Redis holds as finished whose completion event left the stream before Postgres recorded
 *       it runs again: the event carried the output's counts, which the control plane does not read
 *       from the data, and the new attempt supersedes the lost one;
 *   <li>a shard Redis holds that Postgres does not count as waiting (done, dead, cancelled, of a
 *       finished job, or unknown) leaves Redis, or is flagged cancelled when leased.
 * </ul>
 *
 * Shards planned less than {@code grace} ago are left alone, and every repair is checked against
 * Postgres again after Redis was read, so a shard being planned or just recorded is not touched.
 * Each repair is counted in {@code kiln.reconciler.repairs} and logged. Used by one thread.
 */
public final class QueueReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(QueueReconciler.class);

  /** A shard enqueued again starts this far past the epoch's first attempt. */
  static final int REPAIRED_ATTEMPT_GAP = 1_000;

  private static final String WAITING =
      "select s.job_id, s.idx, s.updated_at from shards s join jobs j on j.id = s.job_id"
          + " where s.state = <shard_QUEUED> and j.state = <job_RUNNING>";

  private static final String WAITING_OF_JOB =
      "select "
          + ShardDao.COLUMNS
          + " from shards where job_id = :jobId and idx = any(:idxs) and state = <shard_QUEUED>"
          + " and exists (select 1 from jobs j where j.id = :jobId and j.state = <job_RUNNING>)";

  /** A waiting shard and when its row last changed. */
  public record WaitingShard(UUID jobId, int idx, Instant updatedAt) {}

  private final Jdbi jdbi;
  private final RedisWorkQueue queue;
  private final QueueRepair repair;
  private final TaskBuilder tasks;
  private final Clock clock;
  private final Duration grace;
  private final Duration restoredLease;
  private final Counter repairs;
  private final LongSupplier workAdded;
  private long quietAt = -1;

  /**
   * @param grace shards whose row changed more recently are not checked yet
   * @param restoredLease how long a lease whose deadline was lost runs on before it may expire
   * @param workAdded counts the work added to the database ({@link
   *     dev.kiln.scheduler.outbox.WorkSignals#count()}): while it stands still after a pass found
   *     no waiting shard, and Redis holds none, there is nothing to compare
   */
  public QueueReconciler(
      Jdbi jdbi,
      RedisWorkQueue queue,
      QueueRepair repair,
      SchedulerSettings settings,
      String resultsBucket,
      Clock clock,
      MetricRegistry metrics,
      Duration grace,
      Duration restoredLease,
      LongSupplier workAdded) {
    this.workAdded = workAdded;
    this.jdbi = jdbi;
    this.queue = queue;
    this.repair = repair;
    this.tasks = new TaskBuilder(settings, resultsBucket);
    this.clock = clock;
    this.grace = grace;
    this.restoredLease = restoredLease;
    this.repairs = metrics.counter("kiln.reconciler.repairs");
  }

  /** One pass; answers how many repairs it made. Never runs again at once (answers via count). */
  public int reconcile() {
    OptionalLong epoch = repair.epoch();
    if (epoch.isEmpty()) {
      return 0; // the completion sink rebuilds the whole queue first
    }
    long added = workAdded.getAsLong();
    if (added == quietAt && repair.held().isEmpty()) {
      return 0; // an idle platform: Postgres is not asked again until work is added
    }
    Instant now = clock.instant();
    List<WaitingShard> waiting =
        jdbi.withHandle(
            handle ->
                handle.createQuery(WAITING).map(ConstructorMapper.of(WaitingShard.class)).list());
    int repaired = restoreWaiting(waiting, now, epoch.getAsLong());
    repaired += dropUnknown(waiting);
    quietAt = waiting.isEmpty() && repaired == 0 ? added : -1;
    return repaired;
  }

  private int restoreWaiting(List<WaitingShard> waiting, Instant now, long epoch) {
    Instant settled = now.minus(grace);
    List<ShardId> checked =
        waiting.stream()
            .filter(shard -> shard.updatedAt().isBefore(settled))
            .map(shard -> new ShardId(shard.jobId(), shard.idx()))
            .toList();
    Map<UUID, List<Integer>> missing = new LinkedHashMap<>();
    int repaired = 0;
    for (Map.Entry<ShardId, Finding> entry : repair.check(checked, now, restoredLease).entrySet()) {
      ShardId shard = entry.getKey();
      switch (entry.getValue()) {
        case OK -> {}
        case MISSING ->
            missing.computeIfAbsent(shard.jobId(), j -> new ArrayList<>()).add(shard.idx());
        case RERUN -> {
          repaired++;
          counted(shard, "finished but its completion event was lost; queued to run again");
        }
        default -> {
          repaired++;
          counted(shard, "had lost its " + lost(entry.getValue()) + " entry in Redis; put back");
        }
      }
    }
    for (Map.Entry<UUID, List<Integer>> job : missing.entrySet()) {
      repaired += enqueueAgain(job.getKey(), job.getValue(), epoch);
    }
    return repaired;
  }

  private static String lost(Finding finding) {
    return switch (finding) {
      case READY_RESTORED -> "ready-set";
      case LEASE_RESTORED -> "lease";
      case DELAY_RESTORED -> "backoff";
      default -> finding.name();
    };
  }

  /** Enqueues the shards of a job Redis lost, if Postgres still counts them as waiting. */
  private int enqueueAgain(UUID jobId, List<Integer> idxs, long epoch) {
    int firstAttempt =
        Math.toIntExact(epoch * RedisWorkQueue.ATTEMPTS_PER_EPOCH) + REPAIRED_ATTEMPT_GAP;
    List<ShardTask> built = new ArrayList<>();
    Map<Integer, Integer> attempts = new HashMap<>();
    jdbi.useHandle(
        handle -> {
          List<Shard> shards = stillWaiting(handle, jobId, idxs);
          Job job = handle.attach(JobDao.class).findById(jobId).orElse(null);
          if (shards.isEmpty() || job == null) {
            return;
          }
          for (Shard shard : shards) {
            attempts.put(shard.idx(), Math.max(shard.attempt(), firstAttempt));
          }
          built.addAll(tasks.tasks(handle, job, shards));
        });
    if (built.isEmpty()) {
      return 0;
    }
    OptionalInt added = queue.enqueue(built, task -> attempts.getOrDefault(task.idx(), 0));
    if (added.isEmpty()) {
      return 0; // the epoch vanished meanwhile: the whole queue is rebuilt
    }
    for (ShardTask task : built) {
      counted(new ShardId(jobId, task.idx()), "was missing from Redis; enqueued again");
    }
    return added.getAsInt();
  }

  /** Drops from Redis the shards it holds that Postgres does not count as waiting. */
  private int dropUnknown(List<WaitingShard> waiting) {
    Set<ShardId> held = repair.held();
    for (WaitingShard shard : waiting) {
      held.remove(new ShardId(shard.jobId(), shard.idx()));
    }
    if (held.isEmpty()) {
      return 0;
    }
    Map<UUID, List<Integer>> byJob = new LinkedHashMap<>();
    held.forEach(
        shard -> byJob.computeIfAbsent(shard.jobId(), j -> new ArrayList<>()).add(shard.idx()));
    List<ShardId> unknown = new ArrayList<>();
    jdbi.useHandle(
        handle -> {
          for (Map.Entry<UUID, List<Integer>> job : byJob.entrySet()) {
            Set<Integer> stillWaiting = new java.util.HashSet<>();
            stillWaiting(handle, job.getKey(), job.getValue())
                .forEach(s -> stillWaiting.add(s.idx()));
            for (int idx : job.getValue()) {
              if (!stillWaiting.contains(idx)) {
                unknown.add(new ShardId(job.getKey(), idx));
              }
            }
          }
        });
    List<ShardId> dropped = repair.drop(unknown);
    for (ShardId shard : dropped) {
      counted(shard, "is not waiting in Postgres; dropped from Redis");
    }
    return dropped.size();
  }

  private static List<Shard> stillWaiting(Handle handle, UUID jobId, List<Integer> idxs) {
    return handle
        .createQuery(WAITING_OF_JOB)
        .bind("jobId", jobId)
        .bindArray("idxs", Integer.class, idxs.toArray())
        .map(ConstructorMapper.of(Shard.class))
        .list();
  }

  private void counted(ShardId shard, String what) {
    repairs.inc();
    LOG.warn("reconciler: shard {} of job {} {}", shard.idx(), shard.jobId(), what);
  }
}
