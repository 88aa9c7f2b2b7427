package dev.kiln.model;

import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.util.Map;

/**
 * Hourly prices per instance type and purchase option, from configuration; what a shard cost is the
 * agent-seconds it took times the price of the machine that ran it. A machine the table does not
 * know, a local agent, or a shard recorded before machines were, costs the flat {@link Pricing}
 * price. Immutable and thread-safe.
 *
 * @param flat the price of agents the table does not know
 * @param instances prices by instance type
 */
public record PriceTable(Pricing flat, Map<String, InstancePrice> instances) {
  public PriceTable {
    instances = Map.copyOf(instances);
  }

  /** A table with no instance prices: every agent at the flat price. */
  public static PriceTable flat(Pricing pricing) {
    return new PriceTable(pricing, Map.of());
  }

  /** USD per hour of {@code machine}; {@code null} stands for a machine not recorded. */
  public double hourlyUsd(Machine machine) {
    if (machine == null || machine.purchaseOption() == PurchaseOption.LOCAL) {
      return flat.agentHourlyUsd();
    }
    InstancePrice price = instances.get(machine.instanceType());
    if (price == null) {
      return flat.agentHourlyUsd();
    }
    return machine.purchaseOption() == PurchaseOption.SPOT
        ? price.spotHourlyUsd()
        : price.onDemandHourlyUsd();
  }

  /**
   * The configured price of {@code machine} ({@code null}: not recorded): {@link
   * PriceSource#CONFIGURED} when the table names its type, {@link PriceSource#FLAT} otherwise.
   */
  public MachinePrice price(Machine machine) {
    boolean named =
        machine != null
            && machine.purchaseOption() != PurchaseOption.LOCAL
            && instances.containsKey(machine.instanceType());
    return new MachinePrice(
        hourlyUsd(machine),
        onDemandHourlyUsd(machine),
        named ? PriceSource.CONFIGURED : PriceSource.FLAT);
  }

  /** USD per hour of {@code machine} bought on demand, what it would have cost without spot. */
  public double onDemandHourlyUsd(Machine machine) {
    if (machine == null || machine.purchaseOption() == PurchaseOption.LOCAL) {
      return flat.agentHourlyUsd();
    }
    InstancePrice price = instances.get(machine.instanceType());
    return price == null ? flat.agentHourlyUsd() : price.onDemandHourlyUsd();
  }

  /**
   * The prices of one instance type.
   *
   * @param onDemandHourlyUsd on-demand price per hour
   * @param spotHourlyUsd spot price per hour
   */
  public record InstancePrice(double onDemandHourlyUsd, double spotHourlyUsd) {
    public InstancePrice {
      if (!(onDemandHourlyUsd >= 0) || !(spotHourlyUsd >= 0)) {
        throw new IllegalArgumentException("instance prices are 0 USD an hour or more");
      }
    }
  }
}
