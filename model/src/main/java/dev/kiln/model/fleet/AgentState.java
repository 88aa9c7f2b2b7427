package dev.kiln.model.fleet;

/** Where an agent is in its life, as its status says. */
public enum AgentState {
  STARTING,
  RUNNING,
  /** Leasing nothing new; finishing or releasing what it holds. */
  DRAINING,
  STOPPED
}
