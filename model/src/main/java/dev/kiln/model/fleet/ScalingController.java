package dev.kiln.model.fleet;

import java.time.Duration;
import java.time.Instant;

/**
 * The autoscaler's decision without its I/O: remembers since when the queue has been empty, asks
 * the {@link CapacityPlanner}, limits a scale-up to {@code scaleUpStep} agents per look and says
 * whether the fleet must be resized (only when the answer changes). The scheduler's autoscaler and
 * the demand simulator both run this class. One per fleet; not thread-safe.
 */
public final class ScalingController {
  /** Shards finished within this window give the mean service time. */
  public static final Duration SERVICE_TIME_WINDOW = Duration.ofMinutes(10);

  /** The service time assumed when no shard finished within the window. */
  public static final double DEFAULT_SHARD_SECONDS = 10.0;

  /** A {@code scaleUpStep} that lets one look grow the fleet to whatever the planner asks. */
  public static final int NO_STEP_LIMIT = 0;

  private final CapacityPlanner planner;
  private final int scaleUpStep;
  private Instant lastBusy;
  private int lastDesired = -1;

  /**
   * @param limits the bounds the planner keeps inside
   * @param scaleUpStep most agents added by one look, or {@link #NO_STEP_LIMIT}
   */
  public ScalingController(CapacityLimits limits, int scaleUpStep) {
    if (scaleUpStep < 0) {
      throw new IllegalArgumentException("the scale-up step must be 0 (no limit) or more");
    }
    this.planner = new CapacityPlanner(limits);
    this.scaleUpStep = scaleUpStep;
  }

  public ScalingController(CapacityLimits limits) {
    this(limits, NO_STEP_LIMIT);
  }

  /**
   * One look at the fleet.
   *
   * @param now when the look happens
   * @param queued shards waiting (ready or backing off)
   * @param leased shards being worked on
   * @param shardSeconds recent mean service time of one shard, {@link #DEFAULT_SHARD_SECONDS} when
   *     none finished lately
   * @param current agents running or starting
   * @param monthSpend month-to-date agent spend
   */
  public Step look(
      Instant now, long queued, long leased, double shardSeconds, int current, double monthSpend) {
    if (lastBusy == null || queued + leased > 0) {
      lastBusy = now;
    }
    CapacityDecision planned =
        planner.decide(
            new CapacityInputs(
                queued,
                leased,
                shardSeconds,
                current,
                Duration.between(lastBusy, now),
                monthSpend));
    CapacityDecision decision = stepped(planned, current);
    boolean resize = decision.desiredAgents() != lastDesired;
    lastDesired = decision.desiredAgents();
    return new Step(decision, resize);
  }

  private CapacityDecision stepped(CapacityDecision planned, int current) {
    if (scaleUpStep == NO_STEP_LIMIT || planned.desiredAgents() <= current + scaleUpStep) {
      return planned;
    }
    int desired = current + scaleUpStep;
    return new CapacityDecision(
        desired,
        planned.reason() + "; growing by at most " + scaleUpStep + " per look: " + desired,
        planned.budgetCapped());
  }

  /**
   * What one look decided.
   *
   * @param decision the desired agent count and why
   * @param resize true when the fleet must be told (the answer changed since the last look)
   */
  public record Step(CapacityDecision decision, boolean resize) {}
}
