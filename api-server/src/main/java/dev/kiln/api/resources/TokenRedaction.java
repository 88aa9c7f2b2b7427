package dev.kiln.api.resources;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Takes credentials out of what is logged: the value of every {@code access_token} query parameter
 * (however its name is spelt or encoded) and of the {@code Authorization} header. Stateless.
 */
public final class TokenRedaction {
  static final String QUERY_TOKEN = "access_token";
  static final String REDACTED = "[redacted]";

  private TokenRedaction() {}

  /** The raw query string with every {@code access_token} value replaced; null stays null. */
  public static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return rawQuery;
    }
    StringBuilder out = new StringBuilder(rawQuery.length());
    for (String pair : rawQuery.split("[&;]", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      out.append(isTokenName(name) ? name + "=" + REDACTED : pair);
    }
    return out.toString();
  }

  /** Whether the query string names a token at all (a quick test before rewriting). */
  public static boolean mayHoldToken(String rawQuery) {
    return rawQuery != null && decodedLower(rawQuery).contains(QUERY_TOKEN);
  }

  /** An {@code Authorization} value with its credential replaced; the scheme is kept. */
  public static String authorization(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    int space = trimmed.indexOf(' ');
    return space > 0 ? trimmed.substring(0, space) + " " + REDACTED : REDACTED;
  }

  private static boolean isTokenName(String rawName) {
    return decodedLower(rawName).strip().equals(QUERY_TOKEN);
  }

  private static String decodedLower(String raw) {
    String decoded;
    try {
      decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      decoded = raw;
    }
    return decoded.toLowerCase(Locale.ROOT);
  }
}
