package dev.kiln.simulator;

import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.model.fleet.ScalingController;
import java.time.Instant;

/**
 * Kiln's own policy: the model's {@link ScalingController} (the code the scheduler's autoscaler
 * runs), with busy agents protected from scale-in.
 */
public final class KilnPolicy implements ScalingPolicy {
  private static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");

  private final KilnParameters parameters;
  private final ScalingController controller;

  public KilnPolicy(KilnParameters parameters) {
    this.parameters = parameters;
    this.controller = new ScalingController(parameters.limits(), parameters.scaleUpStep());
  }

  @Override
  public int desired(GroupView view) {
    Instant now = EPOCH.plusMillis(Math.round(view.nowSeconds() * 1000));
    return controller
        .look(now, view.queued(), view.leased(), view.shardSeconds(), view.current(), 0)
        .decision()
        .desiredAgents();
  }

  @Override
  public boolean protectsBusyAgents() {
    return true;
  }

  @Override
  public String describe() {
    return "kiln " + parameters.describe();
  }

  /**
   * The fleet settings of the scheduler's {@code fleet} section that the simulation varies.
   *
   * @param maxAgents the fleet maximum
   * @param targetDrainSeconds how soon the backlog should be done
   * @param idleBeforeZeroSeconds how long an idle group waits before scaling to zero
   * @param scaleUpStep most agents one look adds ({@link ScalingController#NO_STEP_LIMIT}: any)
   */
  public record KilnParameters(
      int maxAgents, long targetDrainSeconds, long idleBeforeZeroSeconds, int scaleUpStep) {

    /** The scheduler's defaults with a fleet maximum of 20. */
    public static final KilnParameters DEFAULTS = new KilnParameters(20, 300, 600, 0);

    public CapacityLimits limits() {
      return new CapacityLimits(
          0,
          maxAgents,
          1,
          java.time.Duration.ofSeconds(targetDrainSeconds),
          java.time.Duration.ofSeconds(idleBeforeZeroSeconds),
          Double.POSITIVE_INFINITY);
    }

    public KilnParameters withIdleBeforeZero(long seconds) {
      return new KilnParameters(maxAgents, targetDrainSeconds, seconds, scaleUpStep);
    }

    public KilnParameters withScaleUpStep(int step) {
      return new KilnParameters(maxAgents, targetDrainSeconds, idleBeforeZeroSeconds, step);
    }

    public String describe() {
      return "(idle "
          + idleBeforeZeroSeconds / 60
          + " min, step "
          + (scaleUpStep == ScalingController.NO_STEP_LIMIT ? "any" : scaleUpStep)
          + ")";
    }
  }
}
