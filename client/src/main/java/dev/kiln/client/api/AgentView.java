package dev.kiln.client.api;

import java.time.Instant;
import java.util.List;

/**
 * A live agent as the operator console lists it: what it runs on, what it holds, and whether it
 * drains ({@code draining} is true from the operator's request on, before the agent reports it).
 */
public record AgentView(
    String agentId,
    String instanceId,
    String instanceType,
    String ami,
    String version,
    String gpu,
    String device,
    List<String> processors,
    String state,
    Integer leases,
    Long shardsDone,
    Long shardsFailed,
    Instant lastHeartbeat,
    boolean draining,
    String drainReason) {
  public AgentView {
    processors = processors == null ? List.of() : List.copyOf(processors);
  }
}
