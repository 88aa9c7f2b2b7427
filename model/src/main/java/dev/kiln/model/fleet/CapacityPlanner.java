package dev.kiln.model.fleet;

import java.util.Locale;

/**
 * Turns backlog, work in flight, service time, fleet size, limits and budget into a desired agent
 * count and a sentence that explains it. Pure and thread-safe.
 */
public final class CapacityPlanner {
  private final CapacityLimits limits;

  public CapacityPlanner(CapacityLimits limits) {
    this.limits = limits;
  }

  public CapacityDecision decide(CapacityInputs in) {
    long work = in.queuedShards() + in.leasedShards();
    if (work == 0) {
      return idle(in);
    }
    int needed = clamp(Math.max(agentsToDrain(in, work), agentsForLeases(in)));
    boolean overBudget = in.monthSpend() >= limits.monthlyBudget();
    if (overBudget && needed > in.agents()) {
      return new CapacityDecision(
          Math.max(in.agents(), limits.minAgents()),
          String.format(
              Locale.ROOT,
              "global monthly budget reached (%.2f of %.2f): not scaling up; %d shards wait",
              in.monthSpend(),
              limits.monthlyBudget(),
              in.queuedShards()),
          true);
    }
    String reason =
        String.format(
            Locale.ROOT,
            "%d shards queued and %d running at %.1f s each: %d agent(s) finish in about %d s%s",
            in.queuedShards(),
            in.leasedShards(),
            in.shardSeconds(),
            needed,
            drainSeconds(in, work, needed),
            needed == limits.maxAgents() ? " (fleet maximum)" : "");
    return new CapacityDecision(needed, reason, false);
  }

  private CapacityDecision idle(CapacityInputs in) {
    if (in.idleFor().compareTo(limits.idleBeforeZero()) >= 0) {
      return new CapacityDecision(
          limits.minAgents(),
          "idle for " + in.idleFor().toSeconds() + " s: scaling to " + limits.minAgents(),
          false);
    }
    return new CapacityDecision(
        clamp(in.agents()),
        "idle for "
            + in.idleFor().toSeconds()
            + " s of "
            + limits.idleBeforeZero().toSeconds()
            + " s before scaling to "
            + limits.minAgents(),
        false);
  }

  private int agentsToDrain(CapacityInputs in, long work) {
    double slotSeconds = work * Math.max(in.shardSeconds(), 0.001);
    double perAgent = limits.slotsPerAgent() * (double) limits.targetDrain().toSeconds();
    return (int) Math.max(1, Math.ceil(slotSeconds / Math.max(perAgent, 1)));
  }

  private int agentsForLeases(CapacityInputs in) {
    return (int) Math.ceil(in.leasedShards() / (double) limits.slotsPerAgent());
  }

  private long drainSeconds(CapacityInputs in, long work, int agents) {
    double slots = Math.max(1, agents) * (double) limits.slotsPerAgent();
    return Math.round(Math.ceil(work / slots) * in.shardSeconds());
  }

  private int clamp(int agents) {
    return Math.max(limits.minAgents(), Math.min(limits.maxAgents(), agents));
  }
}
