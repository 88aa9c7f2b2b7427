package dev.kiln.simulator;

import java.util.Comparator;
import java.util.List;

/**
 * A demand trace: job submissions in time order over a horizon.
 *
 * @param name short name for tables, such as {@code spiky}
 * @param description one sentence on the demand it models
 * @param submissions the submissions, sorted by time
 * @param horizonSeconds how long the trace lasts; the fleet is billed at least this long
 */
public record Trace(
    String name, String description, List<Submission> submissions, double horizonSeconds) {
  public Trace {
    submissions =
        submissions.stream().sorted(Comparator.comparingDouble(Submission::atSeconds)).toList();
    double last = submissions.isEmpty() ? 0 : submissions.get(submissions.size() - 1).atSeconds();
    horizonSeconds = Math.max(horizonSeconds, last);
  }

  /** Total bytes submitted. */
  public long totalBytes() {
    return submissions.stream().mapToLong(Submission::bytes).sum();
  }
}
