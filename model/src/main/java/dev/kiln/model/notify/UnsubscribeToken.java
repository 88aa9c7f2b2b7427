package dev.kiln.model.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of an e-mail's unsubscribe link: an account and a kind, signed with HMAC-SHA256 under
 * the key the scheduler (which signs) and the API (which checks) share. It carries no expiry: the
 * link in an old e-mail keeps working, and it can only turn e-mail off. Immutable.
 */
public record UnsubscribeToken(UUID accountId, NotificationKind kind) {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** {@code <base64url(account|kind)>.<base64url(hmac)>}. */
  public String sign(String key) {
    String payload =
        ENCODER.encodeToString((accountId + "|" + kind.name()).getBytes(StandardCharsets.UTF_8));
    return payload + "." + ENCODER.encodeToString(hmac(key, payload));
  }

  /** The token a link carried, when its signature is right. */
  public static Optional<UnsubscribeToken> verify(String key, String token) {
    if (token == null) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String payload = token.substring(0, dot);
    try {
      byte[] given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(given, hmac(key, payload))) {
        return Optional.empty();
      }
      String text = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      UUID account = UUID.fromString(text.substring(0, bar));
      return NotificationKind.fromName(text.substring(bar + 1))
          .map(kind -> new UnsubscribeToken(account, kind));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static byte[] hmac(String key, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(("unsubscribe:" + payload).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
