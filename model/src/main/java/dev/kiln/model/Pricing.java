package dev.kiln.model;

/**
 * What agent time costs: one flat price per agent-hour, the only place a cost is computed. Spend is
 * agent-seconds x {@code agentHourlyUsd} / 3600, for a job, an account's month and the budget.
 */
public record Pricing(double agentHourlyUsd) {
  /** The on-demand price of one g4dn.xlarge in us-east-1, the default GPU agent. */
  public static final double DEFAULT_AGENT_HOURLY_USD = 0.526;

  public static final Pricing DEFAULT = new Pricing(DEFAULT_AGENT_HOURLY_USD);

  public Pricing {
    if (!(agentHourlyUsd >= 0) || Double.isInfinite(agentHourlyUsd)) {
      throw new IllegalArgumentException(
          "the agent's hourly price must be a finite number of USD, 0 or more");
    }
  }

  /** USD for one agent-second, the factor SQL sums multiply by. */
  public double usdPerAgentSecond() {
    return agentHourlyUsd / 3600.0;
  }

  /** USD for {@code agentSeconds} of agent time. */
  public double costUsd(double agentSeconds) {
    return agentSeconds * usdPerAgentSecond();
  }

  /** {@link #costUsd} rounded to a hundredth of a cent, as owners see it. */
  public double shownCostUsd(double agentSeconds) {
    return Math.round(costUsd(agentSeconds) * 10_000) / 10_000.0;
  }
}
