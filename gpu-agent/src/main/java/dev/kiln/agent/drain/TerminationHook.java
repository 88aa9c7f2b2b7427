package dev.kiln.agent.drain;

/** What the agent asks of its Auto Scaling group once it has drained. */
public interface TerminationHook {

  /**
   * Ends this instance through its group (which launches a replacement, so the fleet keeps its
   * size): used after a drain tag or a rebalance recommendation, which would otherwise leave an
   * idle, billed instance.
   */
  void terminate(String instanceId);

  /** Lets a termination waiting on the lifecycle hook go on now (CONTINUE). */
  void complete(String instanceId);
}
