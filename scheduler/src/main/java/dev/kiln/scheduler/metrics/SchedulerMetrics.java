package dev.kiln.scheduler.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * The scheduler's histograms, observed by the stages of a job's path: each shard's service time on
 * its agent and the delay until its completion is recorded, and each job's duration by outcome.
 * Thread-safe.
 */
public final class SchedulerMetrics {
  public static final String SHARD_SERVICE = "kiln_shard_service_seconds";
  public static final String SHARD_RECORD_DELAY = "kiln_shard_record_delay_seconds";
  public static final String JOB_DURATION = "kiln_job_duration_seconds";

  private final Histogram shardService;
  private final Histogram recordDelay;
  private final Histogram jobDuration;

  private SchedulerMetrics(PrometheusRegistry registry) {
    shardService =
        histogram(SHARD_SERVICE, "Busy time of one shard attempt on its agent")
            .classicUpperBounds(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
            .register(registry);
    recordDelay =
        histogram(SHARD_RECORD_DELAY, "From an agent's completion to its record in PostgreSQL")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    jobDuration =
        histogram(JOB_DURATION, "From a job's submission to its end, by outcome")
            .labelNames("outcome")
            .classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400)
            .register(registry);
  }

  /** Histograms registered in {@code registry}, served where it is scraped. */
  public static SchedulerMetrics registeredIn(PrometheusRegistry registry) {
    return new SchedulerMetrics(registry);
  }

  /** A shard attempt that kept its agent busy {@code busySeconds}, recorded {@code delay} later. */
  public void shardCompleted(double busySeconds, Duration delay) {
    shardService.observe(Math.max(0, busySeconds));
    recordDelay.observe(Math.max(0, delay.toNanos() / 1e9));
  }

  /** A job that ended ({@code succeeded} or {@code failed}) {@code duration} after submission. */
  public void jobEnded(String outcome, Duration duration) {
    jobDuration.labelValues(outcome).observe(Math.max(0, duration.toNanos() / 1e9));
  }

  private static Histogram.Builder histogram(String name, String help) {
    return Histogram.builder().name(name).help(help).unit(Unit.SECONDS).classicOnly();
  }
}
