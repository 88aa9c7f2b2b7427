package dev.kiln.scheduler.fleet;

import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.fleet.AgentStatusStore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.redisson.api.RedissonClient;

/**
 * The leases each agent or instance holds, from the statuses agents publish on each heartbeat
 * ({@link AgentStatusStore}), so a fleet terminates idle agents only. Thread-safe.
 */
public final class AgentDirectory {
  private final AgentStatusStore statuses;

  public AgentDirectory(RedissonClient redisson) {
    this.statuses = new AgentStatusStore(redisson);
  }

  /** Leases held per instance id (several agents on one instance add up). */
  public Map<String, Integer> leasesByInstance() {
    return leasesBy(AgentStatus::instanceId);
  }

  /** Leases held per agent id. */
  public Map<String, Integer> leasesByAgent() {
    return leasesBy(AgentStatus::agentId);
  }

  private Map<String, Integer> leasesBy(Function<AgentStatus, String> key) {
    Map<String, Integer> leases = new HashMap<>();
    for (AgentStatus agent : statuses.all()) {
      String id = key.apply(agent);
      leases.merge(id == null ? "" : id, agent.leases() == null ? 0 : agent.leases(), Integer::sum);
    }
    return leases;
  }
}
