package dev.kiln.scheduler.fleet;

/** Stands in for an agent process: prints its id and waits until it is stopped. */
public final class IdleAgentMain {
  private IdleAgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println(
        "agent " + System.getenv("KILN_AGENT_ID") + " in " + System.getenv("KILN_AGENT_WORK_DIR"));
    Thread.sleep(Long.MAX_VALUE);
  }
}
