package dev.kiln.model.fleet;

/**
 * The machine an agent runs on, as far as its price goes.
 *
 * @param instanceType the EC2 instance type, or {@code local}
 * @param purchaseOption spot, on-demand or local
 * @param availabilityZone the EC2 Availability Zone (a spot price is a zone's), or {@code null} off
 *     EC2 or when not reported
 */
public record Machine(String instanceType, PurchaseOption purchaseOption, String availabilityZone) {
  /** An agent off EC2. */
  public static final Machine LOCAL = new Machine("local", PurchaseOption.LOCAL);

  public Machine {
    if (instanceType == null || instanceType.isBlank() || purchaseOption == null) {
      throw new IllegalArgumentException("a machine needs an instance type and a purchase option");
    }
    if (availabilityZone != null && availabilityZone.isBlank()) {
      availabilityZone = null;
    }
  }

  /** A machine whose Availability Zone is not known. */
  public Machine(String instanceType, PurchaseOption purchaseOption) {
    this(instanceType, purchaseOption, null);
  }
}
