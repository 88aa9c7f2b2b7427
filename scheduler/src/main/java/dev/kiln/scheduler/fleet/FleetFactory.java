package dev.kiln.scheduler.fleet;

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
  @JsonProperty
  @Min(0)
  public int minAgents = 0;

  /** The fleet maximum. */
  @JsonProperty
  @Min(0)
  public int maxAgents = 1;

  /** Shards one agent works on at once ({@code KILN_AGENT_WORKERS}). */
  @JsonProperty
  @Min(1)
  public int slotsPerAgent = 1;

  /** How soon the current backlog should be done. */
  @JsonProperty @NotNull public Duration targetDrain = Duration.minutes(5);

  /** How long an idle fleet waits before shrinking to {@code minAgents}. */
  @JsonProperty @NotNull public Duration idleBeforeZero = Duration.minutes(10);

  /** Global monthly budget for agents in USD; absent or null means no limit. */
  @JsonProperty
  @DecimalMin("0")
  public Double monthlyBudgetUsd;

  /** Price of one agent for one hour, in USD, for spend = agent-seconds x price / 3600. */
  @JsonProperty
  @DecimalMin("0")
  public double agentHourlyPriceUsd = 0;

  /** How often the autoscaler looks at the queue. */
  @JsonProperty @NotNull public Duration interval = Duration.seconds(5);

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

  /** {@code type: none}: agents are started by someone else; the scheduler does not size them. */
  public static final class NoFleetFactory extends FleetFactory {
    @Override
    public Optional<Fleet> build(Environment environment, RedissonClient redisson) {
      return Optional.empty();
    }
  }
}
