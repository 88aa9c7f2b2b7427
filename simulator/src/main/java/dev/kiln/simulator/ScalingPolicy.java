package dev.kiln.simulator;

/** How a group's size is decided, looked at every few seconds. One per group run; not shared. */
public interface ScalingPolicy {
  /** The group's desired capacity after this look. */
  int desired(GroupView view);

  /**
   * Whether busy agents are protected from scale-in (Kiln's fleet protects them; a plain Auto
   * Scaling group terminates whichever instance it picks and the shard runs again).
   */
  boolean protectsBusyAgents();

  /** Name for tables, with the parameters that matter. */
  String describe();
}
