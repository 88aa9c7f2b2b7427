package dev.kiln.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole study on one seed: parameter sweeps on the spiky trace pick Kiln's settings for a small
 * team, then Kiln against the baselines on every trace, then one GPU group against a GPU and a CPU
 * group on the mixed trace.
 *
 * @param seed the seed of every trace and run
 * @param realities the fleet's realities used throughout
 * @param sweeps the parameter sweeps, in the order applied
 * @param recommended Kiln's recommended parameters
 * @param recommendedSpotShare the recommended spot share
 * @param comparisons one per trace
 * @param mixedOneGroup the mixed trace on one GPU group
 * @param mixedTwoGroups the mixed trace on a GPU group and a CPU group
 */
public record Report(
    long seed,
    FleetRealities realities,
    List<ParameterSweep> sweeps,
    KilnPolicy.KilnParameters recommended,
    double recommendedSpotShare,
    List<Comparison> comparisons,
    Result mixedOneGroup,
    Result mixedTwoGroups) {

  /** The spot share the sweeps start from. */
  static final double START_SPOT_SHARE = 0.8;

  public static Report run(long seed, List<Trace> traces, FleetRealities realities) {
    Scenario base =
        new Scenario(
            Traces.spiky(seed),
            realities,
            InstanceType.G4DN_XLARGE,
            START_SPOT_SHARE,
            KilnPolicy.KilnParameters.DEFAULTS,
            seed);
    List<ParameterSweep> sweeps = new ArrayList<>();
    ParameterSweep idle = ParameterSweep.idleBeforeZero(base, 0, 120, 300, 600, 1_200);
    sweeps.add(idle);
    base = base.with(base.kiln().withIdleBeforeZero((long) idle.recommendedValue()));
    ParameterSweep step = ParameterSweep.scaleUpStep(base, 0, 1, 2, 5);
    sweeps.add(step);
    base = base.with(base.kiln().withScaleUpStep((int) step.recommendedValue()));
    ParameterSweep spot = ParameterSweep.spotShare(base, 0, 0.5, 0.8, 1.0);
    sweeps.add(spot);
    double share = spot.recommendedValue();
    List<Comparison> comparisons = new ArrayList<>();
    for (Trace trace : traces) {
      comparisons.add(
          Comparison.of(
              new Scenario(trace, realities, InstanceType.G4DN_XLARGE, share, base.kiln(), seed)));
    }
    KilnPolicy.KilnParameters kiln = base.kiln();
    Trace mixed = Traces.mixed(seed);
    GroupSpec gpu =
        new GroupSpec("gpu", InstanceType.G4DN_XLARGE, share, () -> new KilnPolicy(kiln));
    GroupSpec cpu = new GroupSpec("cpu", InstanceType.C7G_LARGE, share, () -> new KilnPolicy(kiln));
    Result oneGroup = new Simulation(mixed, List.of(gpu), realities, seed).run();
    Result twoGroups = new Simulation(mixed, List.of(gpu, cpu), realities, seed).run();
    return new Report(seed, realities, sweeps, kiln, share, comparisons, oneGroup, twoGroups);
  }

  /** The comparison of the spiky trace, the one the plot shows. */
  public Comparison spiky() {
    return comparisons.stream()
        .filter(comparison -> comparison.kiln().trace().equals("spiky"))
        .findFirst()
        .orElse(comparisons.get(0));
  }

  /** Every run of the comparisons, trace by trace. */
  public List<Result> allRuns() {
    List<Result> runs = new ArrayList<>();
    comparisons.forEach(comparison -> runs.addAll(comparison.rows()));
    return runs;
  }
}
