package dev.kiln.simulator;

import java.util.Arrays;

/** Nearest-rank percentiles; NaN values (a job that never started) count as infinite. */
final class Percentiles {
  private Percentiles() {}

  static double of(double[] values, double percentile) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted =
        Arrays.stream(values).map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v).toArray();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
