package dev.kiln.agent;

import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.queue.ShardRef;
import java.util.List;
import java.util.Optional;

/**
 * Where agents announce themselves and how far their shards have got, for the scheduler, the
 * operator console and the jobs' owners. Implementations are thread-safe.
 */
public interface AgentRegistry {
  /** Writes the agent's status (at start, on each heartbeat, on state changes). */
  void publish(AgentStatus status);

  /** Removes the agent (clean stop). */
  void remove(String agentId);

  /**
   * Why an operator asked the agent to drain; empty when nobody did. Read before each lease.
   * Registries that keep no marks never ask.
   */
  default Optional<String> operatorDrainReason(String agentId) {
    return Optional.empty();
  }

  /** Reports how far the running shards have got; registries that keep no progress ignore it. */
  default void shardsProgress(List<RunningShards.Report> running) {}

  /** The shard stopped running on this agent; its progress no longer counts. */
  default void shardEnded(ShardRef ref) {}

  /** A registry that keeps nothing (tests of the processing alone). */
  AgentRegistry NONE =
      new AgentRegistry() {
        @Override
        public void publish(AgentStatus status) {}

        @Override
        public void remove(String agentId) {}
      };
}
