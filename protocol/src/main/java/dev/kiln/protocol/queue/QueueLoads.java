package dev.kiln.protocol.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;

/**
 * Reads the work queue's load per processor and owner for the operator console, in one read-only
 * script ({@code loads.lua}). Thread-safe.
 */
public final class QueueLoads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LuaScripts scripts;

  public QueueLoads(RedissonClient redisson, QueueSettings settings) {
    this.scripts = new LuaScripts(redisson, settings.prefix());
  }

  /** Every processor the queue has seen, by name, with its owners' shares. */
  public List<ProcessorLoad> byProcessor() {
    String reply = scripts.run("loads", ReturnType.VALUE);
    return parse(reply);
  }

  static List<ProcessorLoad> parse(String reply) {
    JsonNode root;
    try {
      root = JSON.readTree(reply == null || reply.isBlank() ? "{}" : reply);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the queue's load script answered " + reply, e);
    }
    List<ProcessorLoad> loads = new ArrayList<>();
    for (Map.Entry<String, JsonNode> processor : root.properties()) {
      int cap = processor.getValue().path("cap").asInt(-1);
      List<ProcessorLoad.OwnerLoad> owners = new ArrayList<>();
      JsonNode ownerNodes = processor.getValue().path("owners");
      for (Map.Entry<String, JsonNode> owner : ownerNodes.properties()) {
        UUID ownerId;
        try {
          ownerId = UUID.fromString(owner.getKey());
        } catch (IllegalArgumentException notAnOwner) {
          continue;
        }
        owners.add(
            new ProcessorLoad.OwnerLoad(
                ownerId, owner.getValue().path(0).asLong(), owner.getValue().path(1).asLong()));
      }
      owners.sort(
          Comparator.comparingLong((ProcessorLoad.OwnerLoad load) -> load.queued() + load.leased())
              .reversed()
              .thenComparing(ProcessorLoad.OwnerLoad::ownerId));
      loads.add(new ProcessorLoad(processor.getKey(), cap < 0 ? null : cap, owners));
    }
    loads.sort(Comparator.comparing(ProcessorLoad::processor));
    return loads;
  }
}
