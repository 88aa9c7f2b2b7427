package dev.kiln.scheduler.autoscale;

/**
 * The autoscaler's latest decision as published in Redis under {@link Autoscaler#DECISION_KEY}
 * (JSON, field for field; described in scheduler/README.md).
 *
 * @param desired agents asked for
 * @param current agents the fleet had when the decision was made
 * @param reason the sentence for the console that explains {@code desired}
 * @param budgetCapped whether the global monthly budget stopped a scale-up
 * @param spend month-to-date agent spend in USD
 * @param budget the global monthly budget in USD, {@code null} when there is none
 * @param at when the decision was made (ISO-8601, UTC)
 * @param fleet which fleet, e.g. "Auto Scaling group kiln-agents"
 * @param queued shards waiting (ready or backing off)
 * @param leased shards being worked on
 * @param shardSeconds the mean shard service time the decision used
 */
public record AutoscalerDecision(
    int desired,
    int current,
    String reason,
    boolean budgetCapped,
    double spend,
    Double budget,
    String at,
    String fleet,
    long queued,
    long leased,
    double shardSeconds) {}
