package dev.kiln.simulator;

/**
 * What a real fleet does that a planner cannot wish away.
 *
 * @param bootSeconds from launch to a running instance (mean; each launch varies by +-20 %)
 * @param agentStartSeconds from a running instance to an agent that leases (JVM, model cache)
 * @param spotInterruptionsPerHour chance per spot agent-hour that EC2 reclaims the instance
 * @param noticeSeconds the interruption notice (two minutes on EC2)
 * @param rebalanceLeadSeconds how long before an interruption the rebalance recommendation comes
 * @param refusalsPerDay how often per day the spot pool refuses new capacity for a while
 * @param refusalSeconds how long such a refusal lasts
 * @param launchRetrySeconds how long a group waits after a refused launch before trying again
 * @param minimumBilledSeconds EC2 bills at least this much per launch, then by the second
 */
public record FleetRealities(
    double bootSeconds,
    double agentStartSeconds,
    double spotInterruptionsPerHour,
    double noticeSeconds,
    double rebalanceLeadSeconds,
    double refusalsPerDay,
    double refusalSeconds,
    double launchRetrySeconds,
    double minimumBilledSeconds) {

  /**
   * Typical EC2 figures assumed for the GPU agent: 70 s boot, 40 s agent start, 5 % hourly reclaim.
   */
  public static final FleetRealities EC2 =
      new FleetRealities(70, 40, 0.05, 120, 600, 3, 1_800, 60, 60);

  /** A world without spot trouble, for tests that isolate one effect. */
  public static final FleetRealities CALM = new FleetRealities(70, 40, 0, 120, 600, 0, 0, 60, 60);
}
