package dev.kiln.agent;

import java.time.Instant;

/**
 * An agent's state as its heartbeat publishes it.
 *
 * @param agentId the agent
 * @param metadata what it is
 * @param state STARTING, RUNNING, DRAINING or STOPPED
 * @param leases shards it holds now
 * @param shardsDone shards completed since start
 * @param shardsFailed shards reported failed since start
 * @param drainReason why it drains, or empty
 * @param lastHeartbeat when this status was made
 */
public record AgentStatus(
    String agentId,
    AgentMetadata metadata,
    Agent.State state,
    int leases,
    long shardsDone,
    long shardsFailed,
    String drainReason,
    Instant lastHeartbeat) {}
