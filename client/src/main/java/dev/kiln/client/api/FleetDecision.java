package dev.kiln.client.api;

import java.time.Instant;

/**
 * The autoscaler's latest decision as the scheduler publishes it in Redis under {@code
 * kiln:autoscaler:decision} (see scheduler/README.md, "The decision in Redis").
 *
 * @param desired agents asked for
 * @param current agents the fleet had when deciding
 * @param reason one sentence that explains {@code desired}
 * @param budgetCapped true when the global monthly budget stopped a scale-up
 * @param spend month-to-date agent spend, USD
 * @param budget the global monthly budget, USD; {@code null} when there is none
 * @param at when the decision was made
 * @param fleet which fleet carries it out
 * @param queued shards waiting
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
