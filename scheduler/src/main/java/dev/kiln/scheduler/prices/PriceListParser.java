package dev.kiln.scheduler.prices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the on-demand hourly price out of the AWS Pricing API's price list: each {@code
 * GetProducts} item is a JSON document with the product's {@code attributes} and its {@code
 * terms.OnDemand}, whose price dimensions carry {@code pricePerUnit.USD} per {@code unit} {@code
 * Hrs} and whose term an {@code effectiveDate}. Pure; thread-safe.
 */
public final class PriceListParser {
  private final ObjectMapper json;

  public PriceListParser(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The on-demand price of {@code instanceType} among {@code priceList}: the highest hourly USD
   * price of an item for that type (the query asks for one item; more would be the same machine
   * under other licences, so the highest errs on the side of a cost never undercounted), from its
   * term's effective date, or {@code fallbackEffectiveAt} without one. Empty when no item prices
   * the type.
   *
   * @throws UnreadablePriceListException when an item is not the price list JSON this expects
   */
  public Optional<HourlyPrice> onDemand(
      List<String> priceList, String instanceType, Instant fallbackEffectiveAt) {
    HourlyPrice found = null;
    for (String item : priceList) {
      JsonNode root = parse(item);
      JsonNode attributes = root.path("product").path("attributes");
      if (!attributes.isObject()) {
        throw new UnreadablePriceListException("an item has no product attributes");
      }
      if (!instanceType.equals(attributes.path("instanceType").asText())) {
        continue;
      }
      for (HourlyPrice price :
          hourlyPrices(root.path("terms").path("OnDemand"), fallbackEffectiveAt)) {
        if (found == null || price.usdPerHour() > found.usdPerHour()) {
          found = price;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private List<HourlyPrice> hourlyPrices(JsonNode onDemandTerms, Instant fallbackEffectiveAt) {
    if (onDemandTerms.isMissingNode()) {
      return List.of();
    }
    if (!onDemandTerms.isObject()) {
      throw new UnreadablePriceListException("terms.OnDemand is not an object");
    }
    List<HourlyPrice> prices = new ArrayList<>();
    for (Iterator<JsonNode> terms = onDemandTerms.elements(); terms.hasNext(); ) {
      JsonNode term = terms.next();
      Instant effectiveAt = effectiveAt(term.path("effectiveDate"), fallbackEffectiveAt);
      for (Iterator<JsonNode> dimensions = term.path("priceDimensions").elements();
          dimensions.hasNext(); ) {
        JsonNode dimension = dimensions.next();
        if (!"Hrs".equals(dimension.path("unit").asText())) {
          continue;
        }
        JsonNode usd = dimension.path("pricePerUnit").path("USD");
        if (!usd.isTextual()) {
          throw new UnreadablePriceListException("an hourly price dimension has no USD price");
        }
        BigDecimal value;
        try {
          value = new BigDecimal(usd.asText());
        } catch (NumberFormatException e) {
          throw new UnreadablePriceListException("a USD price reads " + usd.asText());
        }
        if (value.signum() < 0) {
          throw new UnreadablePriceListException("a USD price is negative: " + value);
        }
        prices.add(new HourlyPrice(value.doubleValue(), effectiveAt));
      }
    }
    return prices;
  }

  private static Instant effectiveAt(JsonNode date, Instant fallback) {
    if (!date.isTextual()) {
      return fallback;
    }
    try {
      return Instant.parse(date.asText());
    } catch (DateTimeParseException e) {
      throw new UnreadablePriceListException("an effectiveDate reads " + date.asText());
    }
  }

  private JsonNode parse(String item) {
    try {
      JsonNode root = json.readTree(item);
      if (root == null || !root.isObject()) {
        throw new UnreadablePriceListException("an item is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new UnreadablePriceListException(
          "an item is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  /**
   * An hourly price and when it took effect.
   *
   * @param usdPerHour USD an hour
   * @param effectiveAt when the price took effect
   */
  public record HourlyPrice(double usdPerHour, Instant effectiveAt) {}

  /** A price list this parser cannot read; the refresh keeps the prices it had. */
  public static final class UnreadablePriceListException extends RuntimeException {
    public UnreadablePriceListException(String message) {
      super("the price list cannot be read: " + message);
    }
  }
}
