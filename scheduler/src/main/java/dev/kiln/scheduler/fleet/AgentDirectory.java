package dev.kiln.scheduler.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Reads the agents' own status hashes {@code kiln:agents:{agentId}} (written by every agent on each
 * heartbeat, see gpu-agent/README.md) to tell busy agents from idle ones. Thread-safe.
 */
public final class AgentDirectory {
  /** The key prefix the agents write under. */
  public static final String PREFIX = "kiln:agents:";

  private final RedissonClient redisson;

  public AgentDirectory(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /** One agent as its hash describes it. */
  public record Agent(String agentId, String instanceId, String state, int leases) {
    public boolean busy() {
      return leases > 0;
    }
  }

  /** Every agent that has published a status and not yet expired. */
  public List<Agent> agents() {
    List<Agent> agents = new ArrayList<>();
    Iterable<String> keys =
        redisson.getKeys().getKeys(KeysScanOptions.defaults().pattern(PREFIX + "*").chunkSize(200));
    for (String key : keys) {
      Map<String, String> fields =
          redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap();
      if (fields.isEmpty()) {
        continue;
      }
      agents.add(
          new Agent(
              fields.getOrDefault("agentId", key.substring(PREFIX.length())),
              fields.getOrDefault("instanceId", ""),
              fields.getOrDefault("state", ""),
              parseLeases(fields.get("leases"))));
    }
    return agents;
  }

  /** Leases held per instance id (several agents on one instance add up). */
  public Map<String, Integer> leasesByInstance() {
    Map<String, Integer> leases = new HashMap<>();
    for (Agent agent : agents()) {
      leases.merge(agent.instanceId(), agent.leases(), Integer::sum);
    }
    return leases;
  }

  /** Leases held per agent id. */
  public Map<String, Integer> leasesByAgent() {
    Map<String, Integer> leases = new HashMap<>();
    for (Agent agent : agents()) {
      leases.merge(agent.agentId(), agent.leases(), Integer::sum);
    }
    return leases;
  }

  private static int parseLeases(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
