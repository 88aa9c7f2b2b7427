package dev.kiln.simulator;

/**
 * What a scaling policy sees of its group at one look, the same figures the scheduler's autoscaler
 * reads from the queue and PostgreSQL.
 *
 * @param nowSeconds simulated time
 * @param queued shards waiting for this group
 * @param leased shards its agents work on
 * @param shardSeconds mean service time of the shards finished in the last ten minutes, or the
 *     model's default when none did
 * @param current the group's desired capacity (agents running or on their way)
 */
public record GroupView(
    double nowSeconds, long queued, long leased, double shardSeconds, int current) {}
