package dev.kiln.model.fleet;

import java.time.Instant;

/**
 * One minute of the fleet's history as the autoscaler records it for the operator console's chart.
 *
 * @param at when the autoscaler took it
 * @param agents agents in the fleet
 * @param backlog shards queued or leased
 * @param spendUsd month-to-date agent spend, USD
 */
public record FleetPoint(Instant at, int agents, long backlog, double spendUsd) {}
