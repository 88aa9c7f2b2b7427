package dev.kiln.model.fleet;

import java.time.Duration;

/**
 * What the capacity planner knows at one instant.
 *
 * @param queuedShards shards waiting for an agent
 * @param leasedShards shards being worked on now
 * @param shardSeconds recent mean service time of one shard on one slot
 * @param agents agents running or starting
 * @param idleFor how long the queue has been empty with nothing leased (zero when busy)
 * @param monthSpend money spent on agents this month
 */
public record CapacityInputs(
    long queuedShards,
    long leasedShards,
    double shardSeconds,
    int agents,
    Duration idleFor,
    double monthSpend) {}
