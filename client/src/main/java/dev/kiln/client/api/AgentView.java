package dev.kiln.client.api;

import java.time.Instant;
import java.util.List;

/**
 * A live agent as its own status hash {@code kiln:agents:{agentId}} describes it (see
 * gpu-agent/README.md, "Lifecycle"). Numbers and times the agent wrote unreadably are {@code null}.
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
    String drainReason,
    Instant lastHeartbeat) {}
