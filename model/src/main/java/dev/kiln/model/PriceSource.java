package dev.kiln.model;

/** Where the hourly price a shard was charged at came from; the cost view names it. */
public enum PriceSource {
  /** EC2's spot price history of the machine's type (and zone, when known) at the time it ran. */
  SPOT_PRICE_HISTORY("spot-price-history"),
  /** The AWS Pricing API's on-demand price of the machine's type in effect when it ran. */
  PRICING_API("pricing-api"),
  /** The {@code pricing.instances} configuration: nothing was fetched for that machine then. */
  CONFIGURED("configured"),
  /** The flat agent price: a local agent, a machine no price names, or a machine not recorded. */
  FLAT("flat");

  private final String wireName;

  PriceSource(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the {@code instance_prices.source} column and the cost view. */
  public String wireName() {
    return wireName;
  }

  /**
   * The source named {@code name}.
   *
   * @throws IllegalArgumentException for a name no source has
   */
  public static PriceSource parse(String name) {
    for (PriceSource source : values()) {
      if (source.wireName.equals(name)) {
        return source;
      }
    }
    throw new IllegalArgumentException("unknown price source " + name);
  }
}
