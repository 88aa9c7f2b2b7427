package dev.kiln.api.payments;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

/**
 * Where people pay for credits: a checkout page, then a signed notification that the payment
 * succeeded. Implementations are thread-safe.
 */
public interface PaymentProvider {
  /**
   * Opens a checkout for {@code amountUsd} of credits for {@code accountId}.
   *
   * @throws PaymentException when the provider cannot be reached or refuses
   */
  Checkout startCheckout(UUID accountId, BigDecimal amountUsd);

  /**
   * The payment a provider's notification confirms, after checking its signature and age; empty for
   * notifications that credit nothing (other event types, unpaid sessions).
   *
   * @throws dev.kiln.model.credits.StripeSignature.InvalidSignatureException when not signed by the
   *     provider just now
   */
  Optional<Payment> confirmedPayment(String signatureHeader, String body);

  /** A checkout page. */
  record Checkout(String sessionId, String url) {}

  /**
   * A payment the provider confirmed.
   *
   * @param reference the provider's id of it (a checkout session): credited once
   * @param accountId who paid
   * @param amountUsd what was paid
   */
  record Payment(String reference, UUID accountId, BigDecimal amountUsd) {}

  /** The provider could not open a checkout. */
  final class PaymentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PaymentException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
