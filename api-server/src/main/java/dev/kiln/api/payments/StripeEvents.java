package dev.kiln.api.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads Stripe's {@code checkout.session.completed} event: a paid session credits its {@code
 * client_reference_id} (the account) with {@code amount_total} cents of USD. Stateless.
 */
final class StripeEvents {
  static final String COMPLETED = "checkout.session.completed";

  private StripeEvents() {}

  static Optional<PaymentProvider.Payment> payment(ObjectMapper json, String body) {
    JsonNode event;
    try {
      event = json.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the event is not JSON", e);
    }
    if (!COMPLETED.equals(event.path("type").asText())) {
      return Optional.empty();
    }
    JsonNode session = event.path("data").path("object");
    if (!"paid".equals(session.path("payment_status").asText())
        || !"usd".equalsIgnoreCase(session.path("currency").asText())) {
      return Optional.empty();
    }
    String sessionId = session.path("id").asText("");
    String account = session.path("client_reference_id").asText("");
    long cents = session.path("amount_total").asLong(0);
    if (sessionId.isEmpty() || account.isEmpty() || cents <= 0) {
      throw new IllegalArgumentException("a paid session without id, account or amount");
    }
    return Optional.of(
        new PaymentProvider.Payment(
            sessionId, UUID.fromString(account), BigDecimal.valueOf(cents).movePointLeft(2)));
  }
}
