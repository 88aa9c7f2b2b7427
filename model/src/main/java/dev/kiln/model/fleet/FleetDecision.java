package dev.kiln.model.fleet;

import java.time.Instant;

/**
 * The autoscaler's latest decision, as the scheduler publishes it and the operator console shows
 * it.
 *
 * @param desired agents asked for
 * @param current agents the fleet had when deciding
 * @param reason one sentence that explains {@code desired}
 * @param budgetCapped true when the global monthly budget stopped a scale-up
 * @param spend month-to-date agent spend, USD
 * @param budget the global monthly budget, USD; {@code null} when there is none
 * @param at when the decision was made
 * @param fleet which fleet carries it out, e.g. "Auto Scaling group kiln-agents"
 * @param queued shards waiting (ready or backing off)
 * @param leased shards being worked on
 * @param shardSeconds the mean shard service time used
 */
public record FleetDecision(
    int desired,
    int current,
    String reason,
    boolean budgetCapped,
    double spend,
    Double budget,
    Instant at,
    String fleet,
    long queued,
    long leased,
    double shardSeconds) {}
