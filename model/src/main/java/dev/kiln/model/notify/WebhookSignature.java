package dev.kiln.model.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures as the Standard Webhooks specification defines them: the secret is {@code
 * whsec_} plus base64 key bytes; {@code webhook-signature} is {@code v1,} plus the base64
 * HMAC-SHA256 of {@code {webhook-id}.{webhook-timestamp}.{body}} under those bytes. Stateless.
 */
public final class WebhookSignature {
  public static final String SECRET_PREFIX = "whsec_";
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private static final int SECRET_BYTES = 32;

  private WebhookSignature() {}

  /** A new signing secret, {@code whsec_} plus 32 random bytes in base64. */
  public static String newSecret(SecureRandom random) {
    byte[] key = new byte[SECRET_BYTES];
    random.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code webhook-signature} header value: {@code v1,<base64 HMAC-SHA256>}. */
  public static String sign(String secret, String id, long timestampSeconds, String body) {
    byte[] key = keyOf(secret);
    String content = id + "." + timestampSeconds + "." + body;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /**
   * Whether any of the space-separated signatures of a {@code webhook-signature} header is the
   * right one, compared in constant time.
   */
  public static boolean verify(
      String secret, String id, long timestampSeconds, String body, String signatureHeader) {
    byte[] expected = sign(secret, id, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
    for (String candidate : signatureHeader.trim().split(" +")) {
      if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] keyOf(String secret) {
    String encoded =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
