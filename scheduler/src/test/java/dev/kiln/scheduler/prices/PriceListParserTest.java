package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceListParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final PriceListParser parser = new PriceListParser(JSON);

  /** The price list of a recorded GetProducts answer, beside this class. */
  static List<String> recordedPriceList() throws IOException {
    try (InputStream in =
        PriceListParserTest.class.getResourceAsStream("get-products-g4dn.xlarge-us-east-1.json")) {
      JsonNode answer = JSON.readTree(in);
      List<String> items = new ArrayList<>();
      answer.get("PriceList").forEach(item -> items.add(item.asText()));
      return items;
    }
  }

  @Test
  void readsTheOnDemandHourlyPriceAndWhenItTookEffectNotTheReservedOne() throws IOException {
    PriceListParser.HourlyPrice price =
        parser.onDemand(recordedPriceList(), "g4dn.xlarge", NOW).orElseThrow();

    assertThat(price.usdPerHour()).isEqualTo(0.526);
    assertThat(price.effectiveAt()).isEqualTo(Instant.parse("2025-11-01T00:00:00Z"));
  }

  @Test
  void anItemOfAnotherTypeGivesNoPrice() throws IOException {
    assertThat(parser.onDemand(recordedPriceList(), "c7g.large", NOW)).isEmpty();
    assertThat(parser.onDemand(List.of(), "g4dn.xlarge", NOW)).isEmpty();
  }

  @Test
  void aTermWithoutAnEffectiveDateTakesEffectNow() {
    String item =
        """
        {"product":{"attributes":{"instanceType":"g4dn.xlarge"}},
         "terms":{"OnDemand":{"T":{"priceDimensions":{"D":{"unit":"Hrs",
           "pricePerUnit":{"USD":"0.5"}}}}}}}
        """;
    assertThat(parser.onDemand(List.of(item), "g4dn.xlarge", NOW).orElseThrow())
        .isEqualTo(new PriceListParser.HourlyPrice(0.5, NOW));
  }

  @Test
  void anAnswerItCannotReadIsRefusedWithAReason() {
    String noPrice =
        """
        {"product":{"attributes":{"instanceType":"g4dn.xlarge"}},
         "terms":{"OnDemand":{"T":{"priceDimensions":{"D":{"unit":"Hrs",
           "pricePerUnit":{"USD":"a lot"}}}}}}}
        """;
    assertThatThrownBy(() -> parser.onDemand(List.of("<html>busy</html>"), "g4dn.xlarge", NOW))
        .isInstanceOf(PriceListParser.UnreadablePriceListException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> parser.onDemand(List.of("{\"terms\":{}}"), "g4dn.xlarge", NOW))
        .hasMessageContaining("no product attributes");
    assertThatThrownBy(() -> parser.onDemand(List.of(noPrice), "g4dn.xlarge", NOW))
        .hasMessageContaining("a USD price reads a lot");
  }
}
