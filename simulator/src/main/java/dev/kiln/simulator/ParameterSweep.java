package dev.kiln.simulator;

import dev.kiln.model.fleet.ScalingController;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Kiln's policy over a range of one parameter, the others held, and the setting it recommends: the
 * cheapest whose median and p95 times to completion are both within 10 % of the best of the range
 * (the p95 is set by the bursts, the median by the small jobs between them).
 *
 * @param parameter what varies
 * @param values each setting's value
 * @param settings each setting as text
 * @param results the run of each setting
 * @param recommended the index of the recommended setting
 */
public record ParameterSweep(
    String parameter,
    List<Double> values,
    List<String> settings,
    List<Result> results,
    int recommended) {

  /** How much slower than the fastest setting a recommendation may be. */
  public static final double TOLERANCE = 1.10;

  public static ParameterSweep idleBeforeZero(Scenario base, long... seconds) {
    return sweep(
        "idle time before zero",
        base,
        Arrays.stream(seconds).asDoubleStream().boxed().toList(),
        i -> base.with(base.kiln().withIdleBeforeZero(seconds[i])),
        i -> seconds[i] / 60 + " min");
  }

  public static ParameterSweep scaleUpStep(Scenario base, int... steps) {
    return sweep(
        "scale-up step",
        base,
        Arrays.stream(steps).asDoubleStream().boxed().toList(),
        i -> base.with(base.kiln().withScaleUpStep(steps[i])),
        i -> steps[i] == ScalingController.NO_STEP_LIMIT ? "any" : steps[i] + " per look");
  }

  public static ParameterSweep spotShare(Scenario base, double... shares) {
    return sweep(
        "spot share",
        base,
        Arrays.stream(shares).boxed().toList(),
        i -> base.withSpotShare(shares[i]),
        i -> Math.round(shares[i] * 100) + " %");
  }

  public String recommendedSetting() {
    return settings.get(recommended);
  }

  public double recommendedValue() {
    return values.get(recommended);
  }

  private static ParameterSweep sweep(
      String parameter,
      Scenario base,
      List<Double> values,
      Function<Integer, Scenario> scenario,
      Function<Integer, String> label) {
    int count = values.size();
    List<String> settings = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Scenario variant = scenario.apply(i);
      settings.add(label.apply(i));
      results.add(variant.run(new KilnPolicy(variant.kiln())));
    }
    double bestP95 = results.stream().mapToDouble(Result::completionP95).min().orElseThrow();
    double bestP50 = results.stream().mapToDouble(Result::completionP50).min().orElseThrow();
    int recommended = -1;
    for (int i = 0; i < count; i++) {
      Result result = results.get(i);
      if (result.completionP95() <= bestP95 * TOLERANCE
          && result.completionP50() <= bestP50 * TOLERANCE
          && (recommended < 0 || result.costUsd() < results.get(recommended).costUsd())) {
        recommended = i;
      }
    }
    return new ParameterSweep(parameter, values, settings, results, recommended);
  }
}
