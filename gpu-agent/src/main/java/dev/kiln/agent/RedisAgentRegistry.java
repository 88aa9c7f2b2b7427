package dev.kiln.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Keeps each agent's status in the Redis hash {@code kiln:agents:{agentId}} (string fields, listed
 * in gpu-agent/README.md) with a time to live of a few heartbeats, so a dead agent disappears on
 * its own. Thread-safe.
 */
public final class RedisAgentRegistry implements AgentRegistry {
  /** The key prefix; the scheduler scans {@code kiln:agents:*}. */
  public static final String PREFIX = "kiln:agents:";

  private final RedissonClient redisson;
  private final Duration ttl;

  public RedisAgentRegistry(RedissonClient redisson, Duration ttl) {
    this.redisson = redisson;
    this.ttl = ttl;
  }

  /** The hash fields for a status. */
  static Map<String, String> fields(AgentStatus status) {
    AgentMetadata meta = status.metadata();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("agentId", status.agentId());
    fields.put("instanceId", meta.instanceId());
    fields.put("instanceType", meta.instanceType());
    fields.put("ami", meta.amiId());
    fields.put("version", meta.version());
    fields.put("gpu", meta.gpu());
    fields.put("device", meta.device());
    fields.put("processors", String.join(",", new TreeSet<>(meta.processors())));
    fields.put("state", status.state().name());
    fields.put("leases", String.valueOf(status.leases()));
    fields.put("shardsDone", String.valueOf(status.shardsDone()));
    fields.put("shardsFailed", String.valueOf(status.shardsFailed()));
    fields.put("drainReason", status.drainReason());
    fields.put("lastHeartbeat", status.lastHeartbeat().toString());
    return fields;
  }

  @Override
  public void publish(AgentStatus status) {
    RMap<String, String> map = redisson.getMap(PREFIX + status.agentId(), StringCodec.INSTANCE);
    map.putAll(fields(status));
    map.expire(ttl);
  }

  @Override
  public void remove(String agentId) {
    redisson.getMap(PREFIX + agentId, StringCodec.INSTANCE).delete();
  }
}
