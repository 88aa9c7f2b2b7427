package dev.kiln.cli.release;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.DoubleStream;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Judges a color by what users got from it, from the ALB's CloudWatch metrics of its target group:
 * the share of 5xx answers ({@code HTTPCode_Target_5XX_Count} over {@code RequestCount}) and the
 * 95th percentile of {@code TargetResponseTime}. Too few requests judge nothing; a period without a
 * value for a statistic counts as no data. {@code CloudWatchAlbJudgeIT} judges series put into
 * moto_server (which computes sums, not percentiles); {@code CloudWatchLatencyJudgeIT} judges the
 * latency limit from canned {@code GetMetricData} answers served in-process. Thread-safe.
 */
public final class CloudWatchAlbJudge implements CanaryJudge {

  /** The limits a color must stay within. */
  public record Limits(double max5xxShare, Duration maxP95Latency, long minRequests) {}

  private final CloudWatchClient cloudWatch;
  private final String loadBalancerArn;
  private final Limits limits;

  public CloudWatchAlbJudge(CloudWatchClient cloudWatch, String loadBalancerArn, Limits limits) {
    this.cloudWatch = cloudWatch;
    this.loadBalancerArn = loadBalancerArn;
    this.limits = limits;
  }

  @Override
  public Optional<String> problem(
      Color color, String targetGroupArn, Instant since, Instant until) {
    List<Dimension> dimensions =
        List.of(
            Dimension.builder().name("LoadBalancer").value(suffix(loadBalancerArn)).build(),
            Dimension.builder().name("TargetGroup").value(suffix(targetGroupArn)).build());
    int period = (int) Math.max(60, Duration.between(since, until).toSeconds() / 60 * 60);
    GetMetricDataResponse response =
        cloudWatch.getMetricData(
            get ->
                get.startTime(since)
                    .endTime(until)
                    .metricDataQueries(
                        query("requests", "RequestCount", "Sum", dimensions, period),
                        query("errors", "HTTPCode_Target_5XX_Count", "Sum", dimensions, period),
                        query("latency", "TargetResponseTime", "p95", dimensions, period)));
    double requests = sum(response, "requests");
    if (requests < limits.minRequests()) {
      return Optional.empty();
    }
    double errors = sum(response, "errors");
    if (errors / requests > limits.max5xxShare()) {
      return Optional.of(
          String.format(
              "%s answered %.0f of %.0f requests with 5xx (more than %.1f%%)",
              color.label(), errors, requests, limits.max5xxShare() * 100));
    }
    double p95 = result(response, "latency").map(r -> values(r).max().orElse(0)).orElse(0.0);
    if (p95 * 1000 > limits.maxP95Latency().toMillis()) {
      return Optional.of(
          String.format(
              "%s answered in %.2f s at the 95th percentile (more than %s)",
              color.label(), p95, limits.maxP95Latency()));
    }
    return Optional.empty();
  }

  private static MetricDataQuery query(
      String id, String metric, String stat, List<Dimension> dimensions, int period) {
    return MetricDataQuery.builder()
        .id(id)
        .metricStat(
            s ->
                s.metric(
                        m ->
                            m.namespace("AWS/ApplicationELB")
                                .metricName(metric)
                                .dimensions(dimensions))
                    .period(period)
                    .stat(stat))
        .build();
  }

  private static double sum(GetMetricDataResponse response, String id) {
    return result(response, id).map(r -> values(r).sum()).orElse(0.0);
  }

  private static DoubleStream values(MetricDataResult result) {
    return result.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue);
  }

  private static Optional<MetricDataResult> result(GetMetricDataResponse response, String id) {
    return response.metricDataResults().stream().filter(r -> id.equals(r.id())).findFirst();
  }

  /**
   * {@code app/<name>/<id>} or {@code targetgroup/<name>/<id>}: the ARN after its resource type.
   */
  static String suffix(String arn) {
    int loadBalancer = arn.indexOf(":loadbalancer/");
    if (loadBalancer >= 0) {
      return arn.substring(loadBalancer + ":loadbalancer/".length());
    }
    int targetGroup = arn.indexOf(":targetgroup/");
    if (targetGroup >= 0) {
      return arn.substring(targetGroup + 1);
    }
    throw new IllegalArgumentException("not a load balancer or target group ARN: " + arn);
  }
}
