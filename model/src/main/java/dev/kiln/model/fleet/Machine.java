package dev.kiln.model.fleet;

/**
 * The machine an agent runs on, as far as its price goes.
 *
 * @param instanceType the EC2 instance type, or {@code local}
 * @param purchaseOption spot, on-demand or local
 */
public record Machine(String instanceType, PurchaseOption purchaseOption) {
  /** An agent off EC2. */
  public static final Machine LOCAL = new Machine("local", PurchaseOption.LOCAL);

  public Machine {
    if (instanceType == null || instanceType.isBlank() || purchaseOption == null) {
      throw new IllegalArgumentException("a machine needs an instance type and a purchase option");
    }
  }
}
