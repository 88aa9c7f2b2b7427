package dev.kiln.scheduler.metrics;

import java.util.List;

/**
 * The metrics the scheduler publishes to CloudWatch for the Terraform alarms. Every {@code Kiln}
 * metric an alarm names must be in {@link #PUBLISHED} (a build test reads terraform/ to check).
 */
public final class CloudWatchMetrics {
  /** The namespace of every metric Kiln publishes. */
  public static final String NAMESPACE = BacklogMetric.NAMESPACE;

  /** Every metric published. */
  public static final List<String> PUBLISHED = List.of(BacklogMetric.NAME);

  private CloudWatchMetrics() {}
}
