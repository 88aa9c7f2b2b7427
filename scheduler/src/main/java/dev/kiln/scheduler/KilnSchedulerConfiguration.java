package dev.kiln.scheduler;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.KilnServiceConfiguration;
import dev.kiln.scheduler.fleet.FleetFactory;
import dev.kiln.scheduler.metrics.CloudWatchFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The scheduler's YAML: {@code database}, {@code redis}, {@code s3}, {@code scheduler} and {@code
 * fleet}.
 */
public class KilnSchedulerConfiguration extends KilnServiceConfiguration {
  @Valid @NotNull private SchedulerFactory scheduler = new SchedulerFactory();
  @Valid @NotNull private FleetFactory fleet = new FleetFactory.NoFleetFactory();
  @Valid @NotNull private CloudWatchFactory cloudWatch = new CloudWatchFactory();

  @JsonProperty
  public CloudWatchFactory getCloudWatch() {
    return cloudWatch;
  }

  @JsonProperty
  public void setCloudWatch(CloudWatchFactory cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @JsonProperty
  public SchedulerFactory getScheduler() {
    return scheduler;
  }

  @JsonProperty
  public void setScheduler(SchedulerFactory scheduler) {
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
}
