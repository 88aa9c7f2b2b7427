package dev.kiln.core.fleet;

/**
 * The agents that work the queue: an Auto Scaling group on AWS, processes on a laptop. The
 * autoscaler tells it how many agents to run; it decides which ones may go.
 */
public interface Fleet {
  /** Agents running or starting now. */
  int size();

  /**
   * Asks for {@code desired} agents. Scaling in removes only idle agents; busy ones drain first.
   */
  void resize(int desired);

  /** Human-readable name for the console, e.g. "local processes" or an ASG name. */
  String describe();
}
