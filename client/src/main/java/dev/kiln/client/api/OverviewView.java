package dev.kiln.client.api;

import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import java.util.List;

/**
 * The operator console's first page: the fleet against its backlog, throughput, month spend against
 * the global budget, and what the autoscaler decided and why.
 *
 * @param queued shards ready or backing off
 * @param leased shards being worked on
 * @param dead dead letters not yet requeued or discarded
 * @param shardsDonePerMinute shards finished over the last ten minutes, per minute
 * @param monthlyBudgetUsd the global monthly budget; {@code null} when there is none
 * @param decision the autoscaler's latest decision; {@code null} before the first
 * @param recentDecisions the last decisions that changed the count or the reason, newest first
 * @param series one point a minute over the last hour, oldest first
 */
public record OverviewView(
    int agents,
    int drainingAgents,
    long queued,
    long leased,
    long dead,
    double shardsDonePerMinute,
    double monthSpendUsd,
    Double monthlyBudgetUsd,
    FleetDecision decision,
    Long decisionAgeSeconds,
    List<FleetDecision> recentDecisions,
    List<FleetPoint> series) {
  public OverviewView {
    recentDecisions = recentDecisions == null ? List.of() : List.copyOf(recentDecisions);
    series = series == null ? List.of() : List.copyOf(series);
  }
}
