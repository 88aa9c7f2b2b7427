package dev.kiln.scheduler.prices;

import dev.kiln.model.FetchedPrice;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the on-demand price of an instance type in a region from the AWS Pricing API ({@code
 * pricing:GetProducts}): Linux, shared tenancy, no pre-installed software, capacity used.
 * Thread-safe as its client is.
 */
public final class OnDemandPriceReader {
  static final String SERVICE = "AmazonEC2";

  private final PricingApiClient pricing;
  private final PriceListParser parser;
  private final String region;

  public OnDemandPriceReader(PricingApiClient pricing, PriceListParser parser, String region) {
    this.pricing = pricing;
    this.parser = parser;
    this.region = region;
  }

  /**
   * The on-demand price of {@code instanceType}, or empty when the price list names none.
   *
   * @throws PricingApiClient.PriceFetchException when the API cannot be asked or refuses
   * @throws PriceListParser.UnreadablePriceListException when its answer cannot be read
   */
  public Optional<FetchedPrice> read(String instanceType, Instant now) {
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("instanceType", instanceType);
    filters.put("regionCode", region);
    filters.put("operatingSystem", "Linux");
    filters.put("tenancy", "Shared");
    filters.put("preInstalledSw", "NA");
    filters.put("capacitystatus", "Used");
    filters.put("licenseModel", "No License required");
    return parser
        .onDemand(pricing.getProducts(SERVICE, filters), instanceType, now)
        .map(
            price ->
                FetchedPrice.onDemand(
                    instanceType, region, price.usdPerHour(), price.effectiveAt()));
  }
}
