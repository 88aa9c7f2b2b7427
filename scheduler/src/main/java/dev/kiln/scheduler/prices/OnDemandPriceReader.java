package dev.kiln.scheduler.prices;

import dev.kiln.model.FetchedPrice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;
import software.amazon.awssdk.services.pricing.model.GetProductsRequest;

/**
 * Reads the on-demand price of an instance type in a region from the AWS Pricing API ({@code
 * pricing:GetProducts}): Linux, shared tenancy, no pre-installed software, capacity used. Thread-safe
 * as its client is.
 */
public final class OnDemandPriceReader {
  static final String SERVICE = "AmazonEC2";

  private final PricingClient pricing;
  private final PriceListParser parser;
  private final String region;

  public OnDemandPriceReader(PricingClient pricing, PriceListParser parser, String region) {
    this.pricing = pricing;
    this.parser = parser;
    this.region = region;
  }

  /**
   * The on-demand price of {@code instanceType}, or empty when the price list names none.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException when the API cannot be asked or
   *     refuses
   * @throws PriceListParser.UnreadablePriceListException when its answer cannot be read
   */
  public Optional<FetchedPrice> read(String instanceType, Instant now) {
    GetProductsRequest request =
        GetProductsRequest.builder()
            .serviceCode(SERVICE)
            .formatVersion("aws_v1")
            .filters(
                term("instanceType", instanceType),
                term("regionCode", region),
                term("operatingSystem", "Linux"),
                term("tenancy", "Shared"),
                term("preInstalledSw", "NA"),
                term("capacitystatus", "Used"),
                term("licenseModel", "No License required"))
            .build();
    List<String> items = new ArrayList<>();
    pricing.getProductsPaginator(request).priceList().forEach(items::add);
    return parser
        .onDemand(items, instanceType, now)
        .map(price -> FetchedPrice.onDemand(instanceType, region, price.usdPerHour(), price.effectiveAt()));
  }

  private static Filter term(String field, String value) {
    return Filter.builder().type(FilterType.TERM_MATCH).field(field).value(value).build();
  }
}
