package dev.kiln.scheduler.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.model.fleet.Fleet;
import io.dropwizard.core.setup.Environment;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RedissonClient;

/**
 * {@code fleet: {type: local}}: agents as child processes of the scheduler ({@code
 * dev.kiln.agent.AgentMain}), started at {@code minAgents} and stopped with the scheduler.
 */
public final class LocalFleetFactory extends FleetFactory {
  /** The agents' class path. */
  @JsonProperty @NotEmpty public String classpath = System.getProperty("java.class.path");

  /** Environment every agent gets ({@code KILN_REDIS_URI}, {@code KILN_S3_*}, ...). */
  @JsonProperty @NotNull public Map<String, String> environment = new HashMap<>();

  /** Where {@code agent-N.log} files go. */
  @JsonProperty @NotEmpty public String logDir = "logs";

  /** JVM options for each agent. */
  @JsonProperty @NotNull public List<String> jvmArgs = new ArrayList<>();

  public LocalFleetFactory() {
    minAgents = 2;
    maxAgents = Math.max(2, Runtime.getRuntime().availableProcessors());
    idleBeforeZero = io.dropwizard.util.Duration.minutes(1);
  }

  @Override
  public Optional<Fleet> build(Environment environment, RedissonClient redisson) {
    AgentDirectory agents = new AgentDirectory(redisson);
    LocalProcessFleet fleet =
        new LocalProcessFleet(
            classpath, this.environment, Path.of(logDir), jvmArgs, agents::leasesByAgent);
    environment.lifecycle().manage(Lifecycles.managed(() -> fleet.resize(minAgents), fleet::close));
    return Optional.of(fleet);
  }
}
