package dev.kiln.protocol.fleet;

import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;

/**
 * Agents' statuses in Redis: one hash {@code kiln:agents:{agentId}} of string fields per agent,
 * written on each heartbeat with a time to live of a few heartbeats, so a dead agent disappears on
 * its own. The one place that writes and reads those fields. Thread-safe.
 */
public final class AgentStatusStore {
  private final RedissonClient redisson;

  public AgentStatusStore(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /** Writes {@code status}; it expires after {@code ttl} unless written again. */
  public void publish(AgentStatus status, Duration ttl) {
    RMap<String, String> map = map(RedisKeys.agent(status.agentId()));
    map.putAll(fields(status));
    map.expire(ttl);
  }

  public void remove(String agentId) {
    map(RedisKeys.agent(agentId)).delete();
  }

  /** Every agent whose status has not expired, by agent id. */
  public List<AgentStatus> all() {
    List<AgentStatus> agents = new ArrayList<>();
    Iterable<String> keys =
        redisson
            .getKeys()
            .getKeys(
                KeysScanOptions.defaults().pattern(RedisKeys.AGENT_PREFIX + "*").chunkSize(200));
    for (String key : keys) {
      Map<String, String> fields = map(key).readAllMap();
      if (!fields.isEmpty()) {
        agents.add(status(key.substring(RedisKeys.AGENT_PREFIX.length()), fields));
      }
    }
    agents.sort(Comparator.comparing(AgentStatus::agentId));
    return agents;
  }

  private RMap<String, String> map(String key) {
    return redisson.getMap(key, StringCodec.INSTANCE);
  }

  static Map<String, String> fields(AgentStatus status) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("agentId", status.agentId());
    fields.put("instanceId", text(status.instanceId()));
    fields.put("instanceType", text(status.instanceType()));
    fields.put("ami", text(status.ami()));
    fields.put("version", text(status.version()));
    fields.put("gpu", text(status.gpu()));
    fields.put("device", text(status.device()));
    fields.put("processors", String.join(",", status.processors().stream().sorted().toList()));
    fields.put("state", status.state() == null ? "" : status.state().name());
    fields.put("leases", text(status.leases()));
    fields.put("shardsDone", text(status.shardsDone()));
    fields.put("shardsFailed", text(status.shardsFailed()));
    fields.put("drainReason", text(status.drainReason()));
    fields.put("lastHeartbeat", text(status.lastHeartbeat()));
    fields.put("purchaseOption", text(status.purchaseOption()));
    return fields;
  }

  static AgentStatus status(String idFromKey, Map<String, String> fields) {
    String processors = fields.get("processors");
    Long leases = number(fields.get("leases"));
    return new AgentStatus(
        fields.getOrDefault("agentId", idFromKey),
        fields.get("instanceId"),
        fields.get("instanceType"),
        fields.get("ami"),
        fields.get("version"),
        fields.get("gpu"),
        fields.get("device"),
        processors == null || processors.isBlank()
            ? List.of()
            : Arrays.stream(processors.split(",")).map(String::strip).toList(),
        state(fields.get("state")).orElse(null),
        leases == null ? null : leases.intValue(),
        number(fields.get("shardsDone")),
        number(fields.get("shardsFailed")),
        blankToNull(fields.get("drainReason")),
        instant(fields.get("lastHeartbeat")),
        blankToNull(fields.get("purchaseOption")));
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static Optional<AgentState> state(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return Arrays.stream(AgentState.values())
        .filter(state -> state.name().equals(value.strip()))
        .findFirst();
  }

  private static Long number(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant instant(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
