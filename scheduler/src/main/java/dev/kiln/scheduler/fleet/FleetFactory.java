package dev.kiln.scheduler.fleet;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.model.fleet.Fleet;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.redisson.api.RedissonClient;

/**
 * The scheduler's {@code fleet} section: which agents the autoscaler sizes ({@code type: none |
 * local | aws}) and the bounds it keeps spend inside. Every field has a default.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    property = "type",
    defaultImpl = FleetFactory.NoFleetFactory.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = FleetFactory.NoFleetFactory.class, name = "none"),
  @JsonSubTypes.Type(value = LocalFleetFactory.class, name = "local"),
  @JsonSubTypes.Type(value = AwsFleetFactory.class, name = "aws")
})
public abstract class FleetFactory {
  /** Agents kept even when idle; 0 lets an idle fleet scale to zero. */
  @Min(0)
  private int minAgents = 0;

  /** The fleet maximum. */
  @Min(0)
  private int maxAgents = 1;

  /** Shards one agent works on at once ({@code KILN_AGENT_WORKERS}). */
  @Min(1)
  private int slotsPerAgent = 1;

  /** How soon the current backlog should be done. */
  @NotNull private Duration targetDrain = Duration.minutes(5);

  /** How long an idle fleet waits before shrinking to {@code minAgents}. */
  @NotNull private Duration idleBeforeZero = Duration.minutes(10);

  /**
   * The processors this group's agents run; its autoscaler sizes it from their backlog alone. Empty
   * (the default, and the main {@code fleet}): every processor no other group names.
   */
  @NotNull private List<String> processors = new ArrayList<>();

  /** Most agents one look of the autoscaler adds; 0 adds whatever the backlog asks for. */
  @Min(0)
  private int scaleUpStep = 0;

  /** Global monthly budget for agents in USD; absent or null means no limit. */
  @DecimalMin("0")
  private Double monthlyBudgetUsd;

  /** How often the autoscaler looks at the queue. */
  @NotNull private Duration interval = Duration.seconds(5);

  /**
   * The CloudWatch agent's EMF listener ({@code host:port}) the backlog metric goes to; blank
   * publishes nothing (local mode).
   */
  private String metricsEndpoint = "";

  /** The {@code Estate} dimension of the backlog metric. */
  private String estate = "";

  /** The log group the CloudWatch agent writes the metric's events to. */
  private String metricsLogGroup = "";

  @JsonIgnore
  @ValidationMethod(message = "fleet.maxAgents must be at least fleet.minAgents")
  public boolean isMaxAtLeastMin() {
    return maxAgents >= minAgents;
  }

  public CapacityLimits limits() {
    return new CapacityLimits(
        minAgents,
        maxAgents,
        slotsPerAgent,
        targetDrain.toJavaDuration(),
        idleBeforeZero.toJavaDuration(),
        monthlyBudgetUsd == null ? Double.POSITIVE_INFINITY : monthlyBudgetUsd);
  }

  /**
   * Creates the fleet and registers its lifecycle with {@code environment}; empty for {@code type:
   * none} (nothing to size, no autoscaler).
   */
  public abstract Optional<Fleet> build(Environment environment, RedissonClient redisson);

  @JsonProperty
  public int getMinAgents() {
    return minAgents;
  }

  @JsonProperty
  public void setMinAgents(int minAgents) {
    this.minAgents = minAgents;
  }

  @JsonProperty
  public int getMaxAgents() {
    return maxAgents;
  }

  @JsonProperty
  public void setMaxAgents(int maxAgents) {
    this.maxAgents = maxAgents;
  }

  @JsonProperty
  public List<String> getProcessors() {
    return processors;
  }

  @JsonProperty
  public void setProcessors(List<String> processors) {
    this.processors = processors;
  }

  @JsonProperty
  public int getScaleUpStep() {
    return scaleUpStep;
  }

  @JsonProperty
  public void setScaleUpStep(int scaleUpStep) {
    this.scaleUpStep = scaleUpStep;
  }

  @JsonProperty
  public int getSlotsPerAgent() {
    return slotsPerAgent;
  }

  @JsonProperty
  public void setSlotsPerAgent(int slotsPerAgent) {
    this.slotsPerAgent = slotsPerAgent;
  }

  @JsonProperty
  public Duration getTargetDrain() {
    return targetDrain;
  }

  @JsonProperty
  public void setTargetDrain(Duration targetDrain) {
    this.targetDrain = targetDrain;
  }

  @JsonProperty
  public Duration getIdleBeforeZero() {
    return idleBeforeZero;
  }

  @JsonProperty
  public void setIdleBeforeZero(Duration idleBeforeZero) {
    this.idleBeforeZero = idleBeforeZero;
  }

  @JsonProperty
  public Double getMonthlyBudgetUsd() {
    return monthlyBudgetUsd;
  }

  @JsonProperty
  public void setMonthlyBudgetUsd(Double monthlyBudgetUsd) {
    this.monthlyBudgetUsd = monthlyBudgetUsd;
  }

  @JsonProperty
  public Duration getInterval() {
    return interval;
  }

  @JsonProperty
  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  @JsonProperty
  public String getMetricsEndpoint() {
    return metricsEndpoint;
  }

  @JsonProperty
  public void setMetricsEndpoint(String metricsEndpoint) {
    this.metricsEndpoint = metricsEndpoint == null ? "" : metricsEndpoint;
  }

  @JsonProperty
  public String getEstate() {
    return estate;
  }

  @JsonProperty
  public void setEstate(String estate) {
    this.estate = estate == null ? "" : estate;
  }

  @JsonProperty
  public String getMetricsLogGroup() {
    return metricsLogGroup;
  }

  @JsonProperty
  public void setMetricsLogGroup(String metricsLogGroup) {
    this.metricsLogGroup = metricsLogGroup == null ? "" : metricsLogGroup;
  }

  /** The metrics endpoint as an address; empty when blank. */
  @JsonIgnore
  public Optional<java.net.InetSocketAddress> metricsAddress() {
    String endpoint = metricsEndpoint.strip();
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "fleet.metricsEndpoint is host:port, for example 127.0.0.1:25888, not " + endpoint);
    }
    return Optional.of(
        new java.net.InetSocketAddress(
            endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))));
  }

  /** {@code type: none}: agents are started by someone else; the scheduler does not size them. */
  public static final class NoFleetFactory extends FleetFactory {
    @Override
    public Optional<Fleet> build(Environment environment, RedissonClient redisson) {
      return Optional.empty();
    }
  }
}
