package dev.kiln.simulator;

import java.util.List;
import java.util.Locale;

/** Markdown tables of results, as the report and the command print them. */
final class Tables {
  private Tables() {}

  static String results(List<Result> results) {
    StringBuilder table =
        new StringBuilder(
            "| trace | fleet | cost USD | spot / on-demand USD | first shard p50 / p95 min"
                + " | completion p50 / p95 min | utilisation | scale events | launches"
                + " | spot reclaimed | spot refused | shards rerun | jobs done |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result result : results) {
      table.append(
          format(
              "| %s | %s | %.2f | %.2f / %.2f | %s / %s | %s / %s | %.0f %% | %d | %d | %d | %d"
                  + " | %d | %d/%d |\n",
              result.trace(),
              result.fleet(),
              result.costUsd(),
              result.spotUsd(),
              result.onDemandUsd(),
              minutes(result.waitFirstP50()),
              minutes(result.waitFirstP95()),
              minutes(result.completionP50()),
              minutes(result.completionP95()),
              result.utilisation() * 100,
              result.scaleEvents(),
              result.launches(),
              result.interruptions(),
              result.refusedLaunches(),
              result.shardsRerun(),
              result.jobsDone(),
              result.jobs()));
    }
    return table.toString();
  }

  static String comparisons(List<Comparison> comparisons) {
    StringBuilder table =
        new StringBuilder(
            "| trace | Kiln USD | always-on at equal p95 USD | Kiln / always-on"
                + " | always-on at peak USD | queue-depth at equal p95 USD | p95 completion min"
                + " (Kiln / always-on / queue-depth) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (Comparison comparison : comparisons) {
      table.append(
          format(
              "| %s | %.2f | %.2f (%s) | **%.0f %%** | %.2f | %.2f (%s%s) | %s / %s / %s |\n",
              comparison.kiln().trace(),
              comparison.kiln().costUsd(),
              comparison.alwaysOn().costUsd(),
              comparison.alwaysOn().fleet().replaceFirst(",.*", ""),
              comparison.kilnShareOfAlwaysOn() * 100,
              comparison.alwaysOnPeak().costUsd(),
              comparison.queueDepth().costUsd(),
              comparison.queueDepth().fleet().replaceFirst(",.*", ""),
              comparison.queueDepthMatched() ? "" : ", slower: no setting matched",
              minutes(comparison.kiln().completionP95()),
              minutes(comparison.alwaysOn().completionP95()),
              minutes(comparison.queueDepth().completionP95())));
    }
    return table.toString();
  }

  static String minutes(double seconds) {
    if (Double.isInfinite(seconds) || Double.isNaN(seconds)) {
      return "never";
    }
    return format("%.1f", seconds / 60);
  }

  static String format(String pattern, Object... arguments) {
    return String.format(Locale.ROOT, pattern, arguments);
  }
}
