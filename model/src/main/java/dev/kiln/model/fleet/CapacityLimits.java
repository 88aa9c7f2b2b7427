package dev.kiln.model.fleet;

import java.time.Duration;

/**
 * The bounds spend is kept inside, all from configuration.
 *
 * @param minAgents agents kept even when idle (0 scales to zero)
 * @param maxAgents the fleet maximum
 * @param slotsPerAgent shards one agent runs at once
 * @param targetDrain how soon the current backlog should be done
 * @param idleBeforeZero how long an idle fleet waits before scaling to its minimum
 * @param monthlyBudget global monthly budget for agents; at or above it the fleet never grows
 */
public record CapacityLimits(
    int minAgents,
    int maxAgents,
    int slotsPerAgent,
    Duration targetDrain,
    Duration idleBeforeZero,
    double monthlyBudget) {

  public CapacityLimits {
    if (minAgents < 0 || maxAgents < minAgents || slotsPerAgent < 1) {
      throw new IllegalArgumentException("need 0 <= minAgents <= maxAgents and slotsPerAgent >= 1");
    }
  }
}
