package dev.kiln.simulator;

import java.util.List;

/**
 * A trace, the fleet's realities, one instance type with its spot share, Kiln's parameters and a
 * seed: everything a run needs but the policy.
 */
public record Scenario(
    Trace trace,
    FleetRealities realities,
    InstanceType instanceType,
    double spotShare,
    KilnPolicy.KilnParameters kiln,
    long seed) {

  /** One run of the trace with a single group under {@code policy}. */
  public Result run(ScalingPolicy policy) {
    GroupSpec group = new GroupSpec("agents", instanceType, spotShare, () -> policy);
    return new Simulation(trace, List.of(group), realities, seed).run();
  }

  public Scenario with(KilnPolicy.KilnParameters parameters) {
    return new Scenario(trace, realities, instanceType, spotShare, parameters, seed);
  }

  public Scenario withSpotShare(double share) {
    return new Scenario(trace, realities, instanceType, share, kiln, seed);
  }
}
