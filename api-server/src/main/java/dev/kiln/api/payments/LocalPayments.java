package dev.kiln.api.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.credits.StripeSignature;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payment provider of {@code ./kiln up}: no money moves. A checkout is a local page whose "pay"
 * button makes the very event Stripe would send, signed with a secret of this process, and hands it
 * to the same webhook path, so local credits go through the signature check and the ledger as paid
 * ones do. Thread-safe.
 */
public final class LocalPayments implements PaymentProvider {
  /** Where the local checkout page lives, under the API's base URL. */
  public static final String PAGE_PATH = "/api/v1/payments/local/";

  /** Where a paid local checkout sends the buyer: the web UI's credits page, on the same host. */
  public static final String SUCCESS_PATH = "/#/credits?paid=1";

  /** Where a buyer who gives up goes back to. */
  public static final String CANCEL_PATH = "/#/credits";

  private final String secret = "whsec_local_" + HexFormat.of().formatHex(randomBytes());
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final String baseUrl;
  private final ObjectMapper json;
  private final Clock clock;

  public LocalPayments(String baseUrl, ObjectMapper json, Clock clock) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Checkout startCheckout(UUID accountId, BigDecimal amountUsd) {
    String session = "cs_local_" + UUID.randomUUID().toString().replace("-", "");
    pending.put(session, new Pending(accountId, amountUsd));
    return new Checkout(session, baseUrl + PAGE_PATH + session);
  }

  /** The checkout's amount, for its page; empty when unknown or paid. */
  public Optional<BigDecimal> amountOf(String session) {
    return Optional.ofNullable(pending.get(session)).map(Pending::amountUsd);
  }

  /**
   * "Pays" a checkout: the signed {@code checkout.session.completed} event and its signature
   * header, as Stripe would post them; empty when the session is unknown or paid.
   */
  public Optional<SignedEvent> pay(String session) {
    Pending paid = pending.remove(session);
    if (paid == null) {
      return Optional.empty();
    }
    ObjectNode object = json.createObjectNode();
    object.put("id", session);
    object.put("object", "checkout.session");
    object.put("client_reference_id", paid.accountId().toString());
    object.put("amount_total", paid.amountUsd().movePointRight(2).longValueExact());
    object.put("currency", "usd");
    object.put("payment_status", "paid");
    ObjectNode event = json.createObjectNode();
    event.put("id", "evt_local_" + UUID.randomUUID().toString().replace("-", ""));
    event.put("type", StripeEvents.COMPLETED);
    event.putObject("data").set("object", object);
    String body = event.toString();
    return Optional.of(
        new SignedEvent(
            StripeSignature.header(secret, clock.instant().getEpochSecond(), body), body));
  }

  @Override
  public Optional<Payment> confirmedPayment(String signatureHeader, String body) {
    StripeSignature.verify(secret, signatureHeader, body, clock.instant());
    return StripeEvents.payment(json, body);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private record Pending(UUID accountId, BigDecimal amountUsd) {}

  /** An event and its {@code Stripe-Signature} header. */
  public record SignedEvent(String signatureHeader, String body) {}
}
