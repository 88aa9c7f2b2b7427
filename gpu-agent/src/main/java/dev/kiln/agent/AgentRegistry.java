package dev.kiln.agent;

import dev.kiln.model.fleet.AgentStatus;
import java.util.Optional;

/**
 * Where agents announce themselves for the scheduler and the operator console. Implementations are
 * thread-safe.
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

  /** A registry that keeps nothing (tests of the processing alone). */
  AgentRegistry NONE =
      new AgentRegistry() {
        @Override
        public void publish(AgentStatus status) {}

        @Override
        public void remove(String agentId) {}
      };
}
