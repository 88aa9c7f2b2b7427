package dev.kiln.model.credits;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's webhook signatures: the {@code Stripe-Signature} header is {@code t=<unix seconds>} and
 * one or more {@code v1=<hex HMAC-SHA256 of "t.body" under the endpoint secret>}. A request is
 * accepted only with a matching {@code v1} and a timestamp within the tolerance of now (five
 * minutes, as Stripe's own libraries), so a captured request cannot be replayed later. Stateless.
 */
public final class StripeSignature {
  public static final String HEADER = "Stripe-Signature";

  /** How far a signature's timestamp may be from now. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private StripeSignature() {}

  /** The header Stripe would send for {@code body} at {@code timestampSeconds}. */
  public static String header(String secret, long timestampSeconds, String body) {
    return "t=" + timestampSeconds + ",v1=" + hmac(secret, timestampSeconds + "." + body);
  }

  /**
   * Checks a request.
   *
   * @throws InvalidSignatureException saying what is wrong
   */
  public static void verify(String secret, String header, String body, Instant now) {
    if (header == null || header.isBlank()) {
      throw new InvalidSignatureException("the " + HEADER + " header is missing");
    }
    Long timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] pair = part.strip().split("=", 2);
      if (pair.length != 2) {
        continue;
      }
      if (pair[0].equals("t")) {
        try {
          timestamp = Long.parseLong(pair[1]);
        } catch (NumberFormatException e) {
          throw new InvalidSignatureException("the signature's timestamp is not a number");
        }
      } else if (pair[0].equals("v1")) {
        signatures.add(pair[1]);
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      throw new InvalidSignatureException("the " + HEADER + " header has no t= or no v1=");
    }
    byte[] expected = hmac(secret, timestamp + "." + body).getBytes(StandardCharsets.US_ASCII);
    boolean matches =
        signatures.stream()
            .anyMatch(
                candidate ->
                    MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII)));
    if (!matches) {
      throw new InvalidSignatureException("no signature matches the body");
    }
    long age = Math.abs(now.getEpochSecond() - timestamp);
    if (age > TOLERANCE.toSeconds()) {
      throw new InvalidSignatureException(
          "the signature is " + age + " s old, more than " + TOLERANCE.toSeconds() + " s");
    }
  }

  private static String hmac(String secret, String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The request is not one Stripe signed just now. */
  public static final class InvalidSignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSignatureException(String message) {
      super(message);
    }
  }
}
