package dev.kiln.model.fleet;

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

  /**
   * Brings the fleet's own bookkeeping up to date, such as scale-in protection of busy agents or
   * replacing agents that died; the autoscaler calls it every tick, before {@link #size()}.
   */
  default void refresh() {}

  /** Human-readable name for the console, e.g. "local processes" or an ASG name. */
  String describe();
}
