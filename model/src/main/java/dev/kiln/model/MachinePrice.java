package dev.kiln.model;

/**
 * What one machine cost an hour when a shard ran on it, and where that price came from.
 *
 * @param hourlyUsd the price of the machine as it was bought (spot or on demand)
 * @param onDemandHourlyUsd the price of the same machine bought on demand
 * @param source where {@code hourlyUsd} came from
 */
public record MachinePrice(double hourlyUsd, double onDemandHourlyUsd, PriceSource source) {
  public MachinePrice {
    if (!(hourlyUsd >= 0)
        || !(onDemandHourlyUsd >= 0)
        || Double.isInfinite(hourlyUsd)
        || Double.isInfinite(onDemandHourlyUsd)) {
      throw new IllegalArgumentException("a machine's prices are finite USD an hour, 0 or more");
    }
    if (source == null) {
      throw new IllegalArgumentException("a machine's price needs its source");
    }
  }

  /** Whether the price is the machine's own rather than the flat agent price. */
  public boolean machinePriced() {
    return source != PriceSource.FLAT;
  }
}
