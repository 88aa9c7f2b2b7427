package dev.kiln.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.KilnServiceConfiguration;
import dev.kiln.model.plan.ShardPlanner;
import dev.kiln.scheduler.fleet.FleetFactory;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The scheduler's YAML: {@code database}, {@code redis}, {@code s3}, {@code scheduler} and {@code
 * fleet}.
 */
public class KilnSchedulerConfiguration extends KilnServiceConfiguration {
  @Valid @NotNull private SchedulerSection scheduler = new SchedulerSection();
  @Valid @NotNull private FleetFactory fleet = new FleetFactory.NoFleetFactory();

  @JsonProperty
  public SchedulerSection getScheduler() {
    return scheduler;
  }

  @JsonProperty
  public void setScheduler(SchedulerSection scheduler) {
    this.scheduler = scheduler;
  }

  @JsonProperty
  public FleetFactory getFleet() {
    return fleet;
  }

  @JsonProperty
  public void setFleet(FleetFactory fleet) {
    this.fleet = fleet;
  }

  /** The {@code scheduler} section; every field has a default. */
  public static class SchedulerSection {
    @JsonProperty public String nodeId;
    @JsonProperty @NotNull public Duration leaderLease = Duration.seconds(5);
    @JsonProperty @NotNull public Duration tick = Duration.seconds(1);
    @JsonProperty @NotNull public Duration reapInterval = Duration.milliseconds(250);

    @JsonProperty
    @Min(1)
    public long shardBytes = ShardPlanner.DEFAULT_SHARD_BYTES;

    @JsonProperty
    @Min(1)
    public long minShardBytes = ShardPlanner.MIN_SHARD_BYTES;

    @JsonProperty
    @Min(1)
    public int maxShardsPerJob = 100_000;

    @JsonProperty
    @Min(1)
    public int maxAttempts = 3;

    @JsonProperty public double maxErrorRate = 0.01;

    @JsonProperty
    @Min(1)
    public int sinkBatch = 2_000;

    @JsonProperty @NotNull public Map<String, Integer> processorCaps = new HashMap<>();
    @JsonProperty @NotNull public Duration partsRetention = Duration.hours(24);
    @JsonProperty @NotNull public Duration outputRetention = Duration.days(30);

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
  }
}
