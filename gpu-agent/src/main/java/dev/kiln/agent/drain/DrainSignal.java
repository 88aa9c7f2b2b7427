package dev.kiln.agent.drain;

import java.time.Duration;

/**
 * Why an agent must drain and how long it has.
 *
 * @param kind where the signal came from
 * @param grace how long running shards may take before they are released
 * @param reason what the agent logs and publishes as its drain reason
 */
public record DrainSignal(Kind kind, Duration grace, String reason) {

  /** The sources of a drain, in the order they are read. */
  public enum Kind {
    /** EC2 reclaims the spot instance at a given time ({@code spot/instance-action}). */
    SPOT_INTERRUPTION,
    /** The Auto Scaling group terminates the instance and waits on its lifecycle hook. */
    LIFECYCLE_TERMINATING,
    /** {@code kiln release} rolls the fleet onto a new AMI (the {@code kiln:drain} tag). */
    DRAIN_TAG,
    /** EC2 says the spot instance is at elevated risk of interruption. */
    REBALANCE_RECOMMENDATION;

    /** Whether the instance is already on its way out, so the agent need not end it itself. */
    public boolean instanceEnding() {
      return this == SPOT_INTERRUPTION || this == LIFECYCLE_TERMINATING;
    }
  }
}
