package dev.kiln.scheduler.prices;

import dev.kiln.model.FetchedPrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/**
 * Reads EC2's spot price history ({@code ec2:DescribeSpotPriceHistory}) of the fleet's instance
 * types for Linux, in every Availability Zone of the region or in the zones named: each price
 * change of the last {@code lookback} and the price in effect when it began. Thread-safe as its
 * client is.
 */
public final class SpotPriceReader {
  /** The product whose spot prices Kiln's agents pay: Linux in a VPC. */
  static final String PRODUCT = "Linux/UNIX";

  private final Ec2Client ec2;
  private final String region;
  private final Set<String> zones;
  private final Duration lookback;

  /**
   * @param zones the Availability Zones to read; empty for every zone of the region
   */
  public SpotPriceReader(Ec2Client ec2, String region, Set<String> zones, Duration lookback) {
    this.ec2 = ec2;
    this.region = region;
    this.zones = Set.copyOf(zones);
    this.lookback = lookback;
  }

  /**
   * The spot prices of {@code instanceTypes} from {@code now - lookback} to {@code now}.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException when EC2 cannot be asked or refuses
   * @throws PriceListParser.UnreadablePriceListException when a price is not a number
   */
  public List<FetchedPrice> read(List<String> instanceTypes, Instant now) {
    if (instanceTypes.isEmpty()) {
      return List.of();
    }
    DescribeSpotPriceHistoryRequest.Builder request =
        DescribeSpotPriceHistoryRequest.builder()
            .instanceTypesWithStrings(instanceTypes)
            .productDescriptions(PRODUCT)
            .startTime(now.minus(lookback))
            .endTime(now);
    if (!zones.isEmpty()) {
      request.filters(Filter.builder().name("availability-zone").values(zones).build());
    }
    List<FetchedPrice> prices = new ArrayList<>();
    for (SpotPrice price :
        ec2.describeSpotPriceHistoryPaginator(request.build()).spotPriceHistory()) {
      if (!instanceTypes.contains(price.instanceTypeAsString())
          || (!zones.isEmpty() && !zones.contains(price.availabilityZone()))) {
        continue;
      }
      prices.add(
          FetchedPrice.spot(
              price.instanceTypeAsString(),
              region,
              price.availabilityZone(),
              usd(price.spotPrice()),
              price.timestamp() == null ? now : price.timestamp()));
    }
    return prices;
  }

  private static double usd(String spotPrice) {
    try {
      BigDecimal value = new BigDecimal(spotPrice);
      if (value.signum() < 0) {
        throw new PriceListParser.UnreadablePriceListException("a spot price is negative");
      }
      return value.doubleValue();
    } catch (NumberFormatException | NullPointerException e) {
      throw new PriceListParser.UnreadablePriceListException("a spot price reads " + spotPrice);
    }
  }
}
