package dev.kiln.scheduler.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.protocol.queue.RedisWorkQueue;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fleet: {type: local}}: agents as child processes of the scheduler ({@code
 * dev.kiln.agent.AgentMain}), started at {@code minAgents} and stopped with the scheduler. The
 * leases of an agent process that exits go back to the work queue at once.
 */
public final class LocalFleetFactory extends FleetFactory {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFleetFactory.class);

  /** The agents' class path. */
  @NotEmpty private String classpath = System.getProperty("java.class.path");

  /** Environment every agent gets ({@code KILN_REDIS_URI}, {@code KILN_S3_*}, ...). */
  @NotNull private Map<String, String> environment = new HashMap<>();

  /** Where {@code agent-N.log} files go. */
  @NotEmpty private String logDir = "logs";

  /** Names this run's agents, {@code local-{runId}-{n}}; random unless set. */
  @NotNull
  @Pattern(regexp = "[a-z0-9]{1,16}")
  private String runId = LocalProcessFleet.newRunId();

  /** JVM options for each agent. */
  @NotNull private List<String> jvmArgs = new ArrayList<>();

  public LocalFleetFactory() {
    setMinAgents(2);
    setMaxAgents(Math.max(2, Runtime.getRuntime().availableProcessors()));
    setIdleBeforeZero(Duration.minutes(1));
  }

  @JsonProperty
  public String getClasspath() {
    return classpath;
  }

  @JsonProperty
  public void setClasspath(String classpath) {
    this.classpath = classpath;
  }

  @JsonProperty
  public Map<String, String> getEnvironment() {
    return environment;
  }

  @JsonProperty
  public void setEnvironment(Map<String, String> environment) {
    this.environment = environment;
  }

  @JsonProperty
  public String getLogDir() {
    return logDir;
  }

  @JsonProperty
  public void setLogDir(String logDir) {
    this.logDir = logDir;
  }

  @JsonProperty
  public String getRunId() {
    return runId;
  }

  @JsonProperty
  public void setRunId(String runId) {
    this.runId = runId;
  }

  @JsonProperty
  public List<String> getJvmArgs() {
    return jvmArgs;
  }

  @JsonProperty
  public void setJvmArgs(List<String> jvmArgs) {
    this.jvmArgs = jvmArgs;
  }

  @Override
  public Optional<Fleet> build(Environment environment, RedissonClient redisson) {
    AgentDirectory agents = new AgentDirectory(redisson);
    RedisWorkQueue queue = new RedisWorkQueue(redisson, Clock.systemUTC());
    LocalProcessFleet fleet =
        new LocalProcessFleet(
            runId,
            classpath,
            this.environment,
            Path.of(logDir),
            jvmArgs,
            agents::leasesByAgent,
            LocalProcessFleet.AGENT_MAIN,
            agentId -> releaseLeases(queue, agentId));
    environment
        .lifecycle()
        .manage(Lifecycles.managed(() -> fleet.resize(getMinAgents()), fleet::close));
    return Optional.of(fleet);
  }

  /** Gives a dead agent's leases back to the queue at once, instead of after their deadline. */
  static void releaseLeases(RedisWorkQueue queue, String agentId) {
    long released = queue.releaseAgent(agentId);
    if (released > 0) {
      LOG.warn("agent {} exited holding {} leases; gave them back to the queue", agentId, released);
    }
  }
}
