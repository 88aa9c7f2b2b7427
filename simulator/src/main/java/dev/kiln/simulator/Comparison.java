package dev.kiln.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Kiln's policy against the two baselines on one trace, at equal p95 wait: each baseline is tuned
 * to its cheapest setting whose p95 time from submission to completion is no worse than Kiln's
 * (always-on: the smallest fleet; queue-depth: the most shards per agent). The always-on fleet
 * sized for the peak (Kiln's fleet maximum) is shown as well.
 *
 * @param kiln Kiln's run
 * @param alwaysOnPeak always-on at the fleet maximum
 * @param alwaysOn always-on at the smallest size that matches Kiln's p95
 * @param queueDepth queue-depth at its cheapest setting that matches Kiln's p95 (or its fastest,
 *     when none does: then {@code queueDepthMatched} is false)
 * @param queueDepthMatched whether some queue-depth setting matched Kiln's p95
 */
public record Comparison(
    Result kiln,
    Result alwaysOnPeak,
    Result alwaysOn,
    Result queueDepth,
    boolean queueDepthMatched) {

  private static final int[] SHARDS_PER_AGENT = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};

  /** Kiln's cost over the p95-matched always-on fleet's. */
  public double kilnShareOfAlwaysOn() {
    return kiln.costUsd() / alwaysOn.costUsd();
  }

  public List<Result> rows() {
    return List.of(kiln, alwaysOnPeak, alwaysOn, queueDepth);
  }

  /** Runs the comparison; every run uses {@code seed}. */
  public static Comparison of(Scenario scenario) {
    Result kiln = scenario.run(new KilnPolicy(scenario.kiln()));
    int peak = scenario.kiln().maxAgents();
    Result alwaysOnPeak = scenario.run(new AlwaysOnPolicy(peak));
    Result alwaysOn = alwaysOnPeak;
    for (int agents = 1; agents < peak; agents++) {
      Result candidate = scenario.run(new AlwaysOnPolicy(agents));
      if (candidate.completionP95() <= kiln.completionP95()) {
        alwaysOn = candidate;
        break;
      }
    }
    List<Result> matching = new ArrayList<>();
    Result fastest = null;
    for (int shards : SHARDS_PER_AGENT) {
      Result candidate = scenario.run(new QueueDepthPolicy(shards, peak));
      if (candidate.completionP95() <= kiln.completionP95()) {
        matching.add(candidate);
      }
      if (fastest == null || candidate.completionP95() < fastest.completionP95()) {
        fastest = candidate;
      }
    }
    Result queueDepth =
        matching.stream().min((a, b) -> Double.compare(a.costUsd(), b.costUsd())).orElse(fastest);
    return new Comparison(kiln, alwaysOnPeak, alwaysOn, queueDepth, !matching.isEmpty());
  }
}
