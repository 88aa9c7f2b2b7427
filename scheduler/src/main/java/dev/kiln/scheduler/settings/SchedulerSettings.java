package dev.kiln.scheduler.settings;

import dev.kiln.model.JobParams;
import dev.kiln.model.plan.ShardPlanner;
import java.time.Duration;
import java.util.Map;

/**
 * Tunables of the scheduler.
 *
 * @param nodeId this process's name in leader election
 * @param leaderLease how long leadership lasts without renewal (a dead leader is replaced after it)
 * @param tick how often the leader-only pollers run when nothing wakes them
 * @param reapInterval how often expired leases are reaped
 * @param defaultShardBytes shard size when a job does not say
 * @param minShardBytes smallest {@code shardBytes} a job may ask for
 * @param maxShardsPerJob plans above this fail the job
 * @param defaultMaxAttempts attempts per shard when a job does not say
 * @param defaultMaxErrorRate share of records allowed to fail when a job does not say
 * @param sinkBatch most events the completion sink records in one transaction
 * @param processorCaps per-processor caps on shards leased at once
 * @param partsRetention how long parts of finished jobs are kept
 * @param outputRetention how long assembled outputs are kept (their files expire then)
 */
public record SchedulerSettings(
    String nodeId,
    Duration leaderLease,
    Duration tick,
    Duration reapInterval,
    long defaultShardBytes,
    long minShardBytes,
    int maxShardsPerJob,
    int defaultMaxAttempts,
    double defaultMaxErrorRate,
    int sinkBatch,
    Map<String, Integer> processorCaps,
    Duration partsRetention,
    Duration outputRetention) {

  public SchedulerSettings {
    processorCaps = Map.copyOf(processorCaps);
  }

  public static SchedulerSettings defaults(String nodeId) {
    return new SchedulerSettings(
        nodeId,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofMillis(250),
        ShardPlanner.DEFAULT_SHARD_BYTES,
        JobParams.MIN_SHARD_BYTES,
        100_000,
        3,
        0.01,
        2_000,
        Map.of(),
        Duration.ofHours(24),
        Duration.ofDays(30));
  }

  public SchedulerSettings withNodeId(String id) {
    return new SchedulerSettings(
        id,
        leaderLease,
        tick,
        reapInterval,
        defaultShardBytes,
        minShardBytes,
        maxShardsPerJob,
        defaultMaxAttempts,
        defaultMaxErrorRate,
        sinkBatch,
        processorCaps,
        partsRetention,
        outputRetention);
  }

  public SchedulerSettings withLeaderLease(Duration lease) {
    return new SchedulerSettings(
        nodeId,
        lease,
        tick,
        reapInterval,
        defaultShardBytes,
        minShardBytes,
        maxShardsPerJob,
        defaultMaxAttempts,
        defaultMaxErrorRate,
        sinkBatch,
        processorCaps,
        partsRetention,
        outputRetention);
  }

  public SchedulerSettings withMinShardBytes(long min) {
    return new SchedulerSettings(
        nodeId,
        leaderLease,
        tick,
        reapInterval,
        defaultShardBytes,
        min,
        maxShardsPerJob,
        defaultMaxAttempts,
        defaultMaxErrorRate,
        sinkBatch,
        processorCaps,
        partsRetention,
        outputRetention);
  }

  public SchedulerSettings withProcessorCaps(Map<String, Integer> caps) {
    return new SchedulerSettings(
        nodeId,
        leaderLease,
        tick,
        reapInterval,
        defaultShardBytes,
        minShardBytes,
        maxShardsPerJob,
        defaultMaxAttempts,
        defaultMaxErrorRate,
        sinkBatch,
        caps,
        partsRetention,
        outputRetention);
  }

  /** What a job gets for the parameters it leaves out. */
  public JobParams.Defaults jobDefaults() {
    return new JobParams.Defaults(defaultShardBytes, defaultMaxAttempts, defaultMaxErrorRate);
  }
}
