package dev.kiln.model.fleet;

import java.util.Locale;

/** How the machine an agent runs on is paid for, as EC2 instance metadata says. */
public enum PurchaseOption {
  SPOT("spot"),
  ON_DEMAND("on-demand"),
  /** Not on EC2: a laptop or a server of one's own, priced at the flat agent price. */
  LOCAL("local");

  private final String wireName;

  PurchaseOption(String wireName) {
    this.wireName = wireName;
  }

  /** The name in agent statuses, shard rows and the API: {@code spot}, {@code on-demand}, ... */
  public String wireName() {
    return wireName;
  }

  /**
   * The option named by instance metadata's {@code instance-life-cycle} ({@code spot}, {@code
   * on-demand}; {@code scheduled} is billed as on-demand) or by {@link #wireName()}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static PurchaseOption parse(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "spot" -> SPOT;
      case "on-demand", "scheduled" -> ON_DEMAND;
      case "local" -> LOCAL;
      default -> throw new IllegalArgumentException("unknown purchase option " + name);
    };
  }
}
