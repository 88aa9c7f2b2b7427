package dev.kiln.scheduler.metrics;

import dev.kiln.model.fleet.FleetDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The metrics the scheduler publishes to CloudWatch for the Terraform alarms, and how each is
 * worked out. Every {@code Kiln} metric an alarm names must be in {@link #PUBLISHED} (a build test
 * reads terraform/ to check). Stateless.
 */
public final class CloudWatchMetrics {
  /** The namespace of every metric Kiln publishes. */
  public static final String NAMESPACE = "Kiln";

  /** The dimension naming the estate (Terraform's {@code var.name}). */
  public static final String ESTATE = "Estate";

  /**
   * Shards waiting while the fleet is at its maximum or the budget stops it growing; 0 otherwise.
   */
  public static final String QUEUED_SHARDS_AT_MAX_FLEET = "QueuedShardsAtMaxFleet";

  /** Every metric published. */
  public static final List<String> PUBLISHED = List.of(QUEUED_SHARDS_AT_MAX_FLEET);

  /** A decision older than this no longer describes the fleet (the autoscaler stopped). */
  static final Duration STALE = Duration.ofMinutes(5);

  private CloudWatchMetrics() {}

  /**
   * The shards the latest autoscaler decision saw waiting when the fleet could not grow (at {@code
   * maxAgents}, or capped by the budget); 0 when it could, or when the decision is stale.
   */
  public static double queuedShardsAtMaxFleet(FleetDecision decision, int maxAgents, Instant now) {
    if (decision == null || decision.at().isBefore(now.minus(STALE))) {
      return 0;
    }
    boolean cannotGrow = decision.budgetCapped() || decision.desired() >= maxAgents;
    return cannotGrow ? decision.queued() : 0;
  }
}
