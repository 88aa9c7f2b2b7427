package dev.kiln.scheduler;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.KilnServiceConfiguration;
import dev.kiln.scheduler.fleet.FleetFactory;
import dev.kiln.scheduler.prices.PriceRefreshFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scheduler's YAML: {@code database}, {@code redis}, {@code s3}, {@code scheduler}, {@code
 * fleet}, {@code groups} and {@code prices}.
 */
public class KilnSchedulerConfiguration extends KilnServiceConfiguration {
  @Valid @NotNull private SchedulerFactory scheduler = new SchedulerFactory();
  @Valid @NotNull private FleetFactory fleet = new FleetFactory.NoFleetFactory();

  /** Prices refreshed from AWS; off unless {@code prices.refresh} is true. */
  @Valid @NotNull private PriceRefreshFactory prices = new PriceRefreshFactory();

  /**
   * Further agent groups beside {@code fleet}, such as cheap CPU machines for {@code parse}: each
   * names its {@code processors} and is sized from their backlog alone, to zero when idle.
   */
  @Valid @NotNull private List<FleetFactory> groups = new ArrayList<>();

  @JsonIgnore
  @ValidationMethod(message = "every entry of groups must name its processors, each in one group")
  public boolean isEveryGroupNamingItsOwnProcessors() {
    Set<String> seen = new HashSet<>();
    for (FleetFactory group : groups) {
      if (group.getProcessors().isEmpty() || !group.getProcessors().stream().allMatch(seen::add)) {
        return false;
      }
    }
    return true;
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

  @JsonProperty
  public PriceRefreshFactory getPrices() {
    return prices;
  }

  @JsonProperty
  public void setPrices(PriceRefreshFactory prices) {
    this.prices = prices;
  }

  @JsonProperty
  public List<FleetFactory> getGroups() {
    return groups;
  }

  @JsonProperty
  public void setGroups(List<FleetFactory> groups) {
    this.groups = groups;
  }
}
