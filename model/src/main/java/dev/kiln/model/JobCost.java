package dev.kiln.model;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;

/**
 * What a job's shards cost, split by how their machines were bought, and what they would have cost
 * on demand.
 *
 * @param spotUsd spent on spot machines
 * @param onDemandUsd spent on on-demand machines
 * @param otherUsd spent at the flat price (local agents, shards without a recorded machine)
 * @param onDemandEquivalentUsd what every shard would have cost on an on-demand machine
 */
public record JobCost(
    double spotUsd, double onDemandUsd, double otherUsd, double onDemandEquivalentUsd) {
  public static final JobCost ZERO = new JobCost(0, 0, 0, 0);

  public double totalUsd() {
    return spotUsd + onDemandUsd + otherUsd;
  }

  /** This cost plus {@code agentSeconds} on {@code machine} ({@code null}: not recorded). */
  public JobCost plus(PriceTable prices, Machine machine, double agentSeconds) {
    return plus(machine, prices.price(machine), agentSeconds);
  }

  /**
   * This cost plus {@code agentSeconds} on {@code machine} ({@code null}: not recorded) at {@code
   * price}, the price in effect when it ran.
   */
  public JobCost plus(Machine machine, MachinePrice price, double agentSeconds) {
    double usd = price.hourlyUsd() * agentSeconds / 3600;
    double onDemand = price.onDemandHourlyUsd() * agentSeconds / 3600;
    PurchaseOption option = machine == null ? PurchaseOption.LOCAL : machine.purchaseOption();
    boolean priced = machine != null && price.machinePriced();
    return new JobCost(
        spotUsd + (priced && option == PurchaseOption.SPOT ? usd : 0),
        onDemandUsd + (priced && option == PurchaseOption.ON_DEMAND ? usd : 0),
        otherUsd + (priced && option != PurchaseOption.LOCAL ? 0 : usd),
        onDemandEquivalentUsd + onDemand);
  }

  /** Every figure rounded to a hundredth of a cent, as owners see it. */
  public JobCost shown() {
    return new JobCost(
        round(spotUsd), round(onDemandUsd), round(otherUsd), round(onDemandEquivalentUsd));
  }

  private static double round(double usd) {
    return Math.round(usd * 10_000) / 10_000.0;
  }
}
