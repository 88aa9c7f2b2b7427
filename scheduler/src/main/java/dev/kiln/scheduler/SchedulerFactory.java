package dev.kiln.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.scheduler.leader.LeadershipHealthCheck;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.settings.SchedulerSettings;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * The {@code scheduler} section of the YAML; every field has the default of {@link
 * SchedulerSettings#defaults}. {@link #build} creates the {@link Scheduler} with its lifecycle and
 * its {@code leadership} health check; {@link #settings()} hands the values to domain code.
 */
public class SchedulerFactory {
  private static final SchedulerSettings DEFAULTS = SchedulerSettings.defaults("unnamed");

  /** This process's name in leader election; blank for {@code scheduler-<random UUID>}. */
  private String nodeId;

  @NotNull private Duration leaderLease = duration(DEFAULTS.leaderLease());
  @NotNull private Duration tick = duration(DEFAULTS.tick());
  @NotNull private Duration reapInterval = duration(DEFAULTS.reapInterval());

  @Min(1)
  private long shardBytes = DEFAULTS.defaultShardBytes();

  @Min(1)
  private long minShardBytes = DEFAULTS.minShardBytes();

  @Min(1)
  private int maxShardsPerJob = DEFAULTS.maxShardsPerJob();

  @Min(1)
  private int maxAttempts = DEFAULTS.defaultMaxAttempts();

  private double maxErrorRate = DEFAULTS.defaultMaxErrorRate();

  @Min(1)
  private int sinkBatch = DEFAULTS.sinkBatch();

  @NotNull private Map<String, Integer> processorCaps = new HashMap<>(DEFAULTS.processorCaps());
  @NotNull private Duration partsRetention = duration(DEFAULTS.partsRetention());
  @NotNull private Duration outputRetention = duration(DEFAULTS.outputRetention());

  /**
   * Creates the scheduler, started and stopped with the server, with its histograms in {@code
   * prometheus}, and registers its {@code leadership} health check.
   */
  public Scheduler build(
      Environment environment,
      PrometheusRegistry prometheus,
      Jdbi jdbi,
      RedissonClient redisson,
      ObjectStore store,
      Tracing tracing,
      Clock clock) {
    Scheduler scheduler =
        new Scheduler(
            jdbi,
            redisson,
            store,
            settings(),
            clock,
            environment.metrics(),
            SchedulerMetrics.registeredIn(prometheus),
            tracing);
    environment.lifecycle().manage(Lifecycles.managed(scheduler::start, scheduler::close));
    environment
        .healthChecks()
        .register(
            "leadership",
            new LeadershipHealthCheck(scheduler.leadership(), scheduler.queue()::stats));
    return scheduler;
  }

  /** These values as the record domain code takes. */
  public SchedulerSettings settings() {
    return new SchedulerSettings(
        nodeId == null || nodeId.isBlank() ? "scheduler-" + UUID.randomUUID() : nodeId,
        leaderLease.toJavaDuration(),
        tick.toJavaDuration(),
        reapInterval.toJavaDuration(),
        shardBytes,
        minShardBytes,
        maxShardsPerJob,
        maxAttempts,
        maxErrorRate,
        sinkBatch,
        processorCaps,
        partsRetention.toJavaDuration(),
        outputRetention.toJavaDuration());
  }

  @JsonProperty
  public String getNodeId() {
    return nodeId;
  }

  @JsonProperty
  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  @JsonProperty
  public Duration getLeaderLease() {
    return leaderLease;
  }

  @JsonProperty
  public void setLeaderLease(Duration leaderLease) {
    this.leaderLease = leaderLease;
  }

  @JsonProperty
  public Duration getTick() {
    return tick;
  }

  @JsonProperty
  public void setTick(Duration tick) {
    this.tick = tick;
  }

  @JsonProperty
  public Duration getReapInterval() {
    return reapInterval;
  }

  @JsonProperty
  public void setReapInterval(Duration reapInterval) {
    this.reapInterval = reapInterval;
  }

  @JsonProperty
  public long getShardBytes() {
    return shardBytes;
  }

  @JsonProperty
  public void setShardBytes(long shardBytes) {
    this.shardBytes = shardBytes;
  }

  @JsonProperty
  public long getMinShardBytes() {
    return minShardBytes;
  }

  @JsonProperty
  public void setMinShardBytes(long minShardBytes) {
    this.minShardBytes = minShardBytes;
  }

  @JsonProperty
  public int getMaxShardsPerJob() {
    return maxShardsPerJob;
  }

  @JsonProperty
  public void setMaxShardsPerJob(int maxShardsPerJob) {
    this.maxShardsPerJob = maxShardsPerJob;
  }

  @JsonProperty
  public int getMaxAttempts() {
    return maxAttempts;
  }

  @JsonProperty
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @JsonProperty
  public double getMaxErrorRate() {
    return maxErrorRate;
  }

  @JsonProperty
  public void setMaxErrorRate(double maxErrorRate) {
    this.maxErrorRate = maxErrorRate;
  }

  @JsonProperty
  public int getSinkBatch() {
    return sinkBatch;
  }

  @JsonProperty
  public void setSinkBatch(int sinkBatch) {
    this.sinkBatch = sinkBatch;
  }

  @JsonProperty
  public Map<String, Integer> getProcessorCaps() {
    return processorCaps;
  }

  @JsonProperty
  public void setProcessorCaps(Map<String, Integer> processorCaps) {
    this.processorCaps = processorCaps;
  }

  @JsonProperty
  public Duration getPartsRetention() {
    return partsRetention;
  }

  @JsonProperty
  public void setPartsRetention(Duration partsRetention) {
    this.partsRetention = partsRetention;
  }

  @JsonProperty
  public Duration getOutputRetention() {
    return outputRetention;
  }

  @JsonProperty
  public void setOutputRetention(Duration outputRetention) {
    this.outputRetention = outputRetention;
  }

  private static Duration duration(java.time.Duration duration) {
    return Duration.milliseconds(duration.toMillis());
  }
}
