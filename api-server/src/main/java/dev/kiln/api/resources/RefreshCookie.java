package dev.kiln.api.resources;

import dev.kiln.api.auth.RefreshSessions;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * The cookie that carries a browser's refresh token: HttpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), only on {@code /api/v1/auth}, and Secure whenever the page came
 * over HTTPS.
 */
final class RefreshCookie {
  static final String NAME = "kiln_refresh";
  static final String PATH = "/api/v1/auth";

  private RefreshCookie() {}

  /** The {@code Set-Cookie} value that hands {@code issued} to the browser. */
  static String set(RefreshSessions.Issued issued, HttpServletRequest http, Clock clock) {
    long millis = Duration.between(clock.instant(), issued.expiresAt()).toMillis();
    long maxAge = Math.max(0, (millis + 999) / 1000);
    return NAME + "=" + issued.token() + "; Max-Age=" + maxAge + attributes(http);
  }

  /** The {@code Set-Cookie} value that removes the cookie. */
  static String clear(HttpServletRequest http) {
    return NAME + "=; Max-Age=0" + attributes(http);
  }

  private static String attributes(HttpServletRequest http) {
    boolean secure =
        http.isSecure() || "https".equalsIgnoreCase(http.getHeader("X-Forwarded-Proto"));
    return "; Path=" + PATH + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }
}
