package dev.kiln.model;

import dev.kiln.model.fleet.PurchaseOption;
import java.time.Instant;

/**
 * One hourly price read from AWS: a spot price of an instance type in an Availability Zone, or an
 * on-demand price of an instance type in a region, from the moment it took effect.
 *
 * @param instanceType the EC2 instance type
 * @param purchaseOption spot or on-demand
 * @param region the AWS region
 * @param location the Availability Zone of a spot price, the region of an on-demand one
 * @param usdPerHour the price
 * @param effectiveAt when AWS says the price took effect
 * @param source where it was read: {@link PriceSource#SPOT_PRICE_HISTORY} or {@link
 *     PriceSource#PRICING_API}
 */
public record FetchedPrice(
    String instanceType,
    PurchaseOption purchaseOption,
    String region,
    String location,
    double usdPerHour,
    Instant effectiveAt,
    PriceSource source) {
  public FetchedPrice {
    if (instanceType == null || instanceType.isBlank()) {
      throw new IllegalArgumentException("a fetched price needs an instance type");
    }
    if (purchaseOption != PurchaseOption.SPOT && purchaseOption != PurchaseOption.ON_DEMAND) {
      throw new IllegalArgumentException("a fetched price is a spot or an on-demand one");
    }
    if (region == null || region.isBlank() || location == null || location.isBlank()) {
      throw new IllegalArgumentException("a fetched price needs its region and location");
    }
    if (!(usdPerHour >= 0) || Double.isInfinite(usdPerHour)) {
      throw new IllegalArgumentException(
          "a fetched price is a finite number of USD an hour, 0 or more: " + usdPerHour);
    }
    if (effectiveAt == null) {
      throw new IllegalArgumentException("a fetched price needs the moment it took effect");
    }
    if (source != PriceSource.SPOT_PRICE_HISTORY && source != PriceSource.PRICING_API) {
      throw new IllegalArgumentException("a fetched price comes from AWS: " + source);
    }
  }

  /** A spot price of {@code instanceType} in {@code zone}, read from the spot price history. */
  public static FetchedPrice spot(
      String instanceType, String region, String zone, double usdPerHour, Instant effectiveAt) {
    return new FetchedPrice(
        instanceType,
        PurchaseOption.SPOT,
        region,
        zone,
        usdPerHour,
        effectiveAt,
        PriceSource.SPOT_PRICE_HISTORY);
  }

  /** An on-demand price of {@code instanceType} in {@code region}, read from the Pricing API. */
  public static FetchedPrice onDemand(
      String instanceType, String region, double usdPerHour, Instant effectiveAt) {
    return new FetchedPrice(
        instanceType,
        PurchaseOption.ON_DEMAND,
        region,
        region,
        usdPerHour,
        effectiveAt,
        PriceSource.PRICING_API);
  }
}
