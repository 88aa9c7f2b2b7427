package dev.kiln.scheduler.metrics;

import dev.kiln.protocol.fleet.FleetDecisionStore;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes {@link CloudWatchMetrics#PUBLISHED} to CloudWatch, dimensioned by the estate, once per
 * {@link #publish()}: run by a leader-only poller, so one scheduler of an estate publishes. Used by
 * one poller thread.
 */
public final class CloudWatchPublisher {
  private final CloudWatchClient cloudWatch;
  private final FleetDecisionStore decisions;
  private final String estate;
  private final int maxAgents;
  private final Clock clock;

  public CloudWatchPublisher(
      CloudWatchClient cloudWatch,
      FleetDecisionStore decisions,
      String estate,
      int maxAgents,
      Clock clock) {
    this.cloudWatch = cloudWatch;
    this.decisions = decisions;
    this.estate = estate;
    this.maxAgents = maxAgents;
    this.clock = clock;
  }

  /** Publishes one value of each metric; answers false (nothing more to do right away). */
  public boolean publish() {
    Instant now = clock.instant();
    double queued =
        CloudWatchMetrics.queuedShardsAtMaxFleet(decisions.latest().orElse(null), maxAgents, now);
    cloudWatch.putMetricData(
        request ->
            request
                .namespace(CloudWatchMetrics.NAMESPACE)
                .metricData(
                    MetricDatum.builder()
                        .metricName(CloudWatchMetrics.QUEUED_SHARDS_AT_MAX_FLEET)
                        .dimensions(
                            Dimension.builder()
                                .name(CloudWatchMetrics.ESTATE)
                                .value(estate)
                                .build())
                        .timestamp(now)
                        .value(queued)
                        .unit(StandardUnit.COUNT)
                        .build()));
    return false;
  }
}
