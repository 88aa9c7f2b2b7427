package dev.kiln.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.credits.StripeSignature;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Stripe Checkout: {@code POST /v1/checkout/sessions} opens a hosted payment page for the amount;
 * Stripe then posts {@code checkout.session.completed} to the webhook, signed with the endpoint
 * secret ({@link StripeSignature}). Thread-safe.
 */
public final class StripeCheckout implements PaymentProvider {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI apiBase;
  private final String secretKey;
  private final String webhookSecret;
  private final String successUrl;
  private final String cancelUrl;
  private final ObjectMapper json;
  private final Clock clock;

  /**
   * @param apiBase {@code https://api.stripe.com} (a local server in tests)
   * @param secretKey the account's secret API key
   * @param webhookSecret the webhook endpoint's signing secret ({@code whsec_...})
   * @param successUrl where Stripe sends the buyer after paying
   * @param cancelUrl where Stripe sends a buyer who gives up
   */
  public StripeCheckout(
      URI apiBase,
      String secretKey,
      String webhookSecret,
      String successUrl,
      String cancelUrl,
      ObjectMapper json,
      Clock clock) {
    this.apiBase = apiBase;
    this.secretKey = secretKey;
    this.webhookSecret = webhookSecret;
    this.successUrl = successUrl;
    this.cancelUrl = cancelUrl;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Checkout startCheckout(UUID accountId, BigDecimal amountUsd) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("mode", "payment");
    form.put("success_url", successUrl);
    form.put("cancel_url", cancelUrl);
    form.put("client_reference_id", accountId.toString());
    form.put("line_items[0][quantity]", "1");
    form.put("line_items[0][price_data][currency]", "usd");
    form.put(
        "line_items[0][price_data][unit_amount]",
        amountUsd.movePointRight(2).toBigInteger().toString());
    form.put("line_items[0][price_data][product_data][name]", "Kiln credits");
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(apiBase.resolve("/v1/checkout/sessions"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + secretKey)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode session = json.readTree(response.body());
      if (response.statusCode() != 200) {
        throw new PaymentException(
            "Stripe refused the checkout (HTTP "
                + response.statusCode()
                + "): "
                + session.path("error").path("message").asText("no message"),
            null);
      }
      return new Checkout(session.path("id").asText(), session.path("url").asText());
    } catch (IOException e) {
      throw new PaymentException("Stripe cannot be reached: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentException("interrupted while calling Stripe", e);
    }
  }

  @Override
  public Optional<Payment> confirmedPayment(String signatureHeader, String body) {
    StripeSignature.verify(webhookSecret, signatureHeader, body, clock.instant());
    return StripeEvents.payment(json, body);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
