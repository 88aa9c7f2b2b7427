package dev.kiln.model.fleet;

import java.time.Instant;
import java.util.List;

/**
 * An agent as its heartbeat publishes it and as the scheduler and the operator console read it.
 * Fields a reader could not parse are {@code null}.
 *
 * @param agentId the agent
 * @param instanceId EC2 instance id, or the host name off EC2
 * @param instanceType EC2 instance type, or {@code local}
 * @param ami the image the instance runs, or empty off EC2
 * @param version the agent's version
 * @param gpu the GPU model and memory, or {@code none}
 * @param device where processors compute, such as {@code GPU:0} or {@code CPU}
 * @param processors the processors offered, sorted
 * @param state where the agent is in its life
 * @param leases shards it holds now
 * @param shardsDone shards completed since start
 * @param shardsFailed shards reported failed since start
 * @param drainReason why it drains, or {@code null}
 * @param lastHeartbeat when this status was made
 * @param purchaseOption {@code spot} or {@code on-demand} from instance metadata, {@code local} off
 *     EC2 ({@link PurchaseOption#wireName()})
 */
public record AgentStatus(
    String agentId,
    String instanceId,
    String instanceType,
    String ami,
    String version,
    String gpu,
    String device,
    List<String> processors,
    AgentState state,
    Integer leases,
    Long shardsDone,
    Long shardsFailed,
    String drainReason,
    Instant lastHeartbeat,
    String purchaseOption) {
  public AgentStatus {
    processors = processors == null ? List.of() : List.copyOf(processors);
  }

  /** Whether the agent holds work, so the fleet must not terminate it. */
  public boolean busy() {
    return leases != null && leases > 0;
  }
}
