package dev.kiln.simulator;

/** A fixed fleet that never scales: what a group sized once for the peak costs. */
public record AlwaysOnPolicy(int agents) implements ScalingPolicy {
  @Override
  public int desired(GroupView view) {
    return agents;
  }

  @Override
  public boolean protectsBusyAgents() {
    return true;
  }

  @Override
  public String describe() {
    return "always-on " + agents;
  }
}
