package dev.kiln.simulator;

/**
 * The naive target-tracking policy many queues start with: one agent per {@code shardsPerAgent}
 * shards queued or running, straight to zero when nothing is left, and no scale-in protection, so
 * scaling in may terminate a busy agent and its shard runs again.
 */
public record QueueDepthPolicy(int shardsPerAgent, int maxAgents) implements ScalingPolicy {
  public QueueDepthPolicy {
    if (shardsPerAgent < 1 || maxAgents < 1) {
      throw new IllegalArgumentException("need at least one shard per agent and one agent");
    }
  }

  @Override
  public int desired(GroupView view) {
    long work = view.queued() + view.leased();
    return (int) Math.min(maxAgents, (work + shardsPerAgent - 1) / shardsPerAgent);
  }

  @Override
  public boolean protectsBusyAgents() {
    return false;
  }

  @Override
  public String describe() {
    return "queue-depth " + shardsPerAgent + "/agent";
  }
}
