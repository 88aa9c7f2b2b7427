package dev.kiln.api.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * CORS for the configured origins only: other origins get no CORS headers (so browsers block them)
 * and their preflights a 403. Credentials are bearer tokens, never cookies. Stateless.
 */
public final class CorsFilter implements Filter {
  static final String METHODS = "GET, POST, DELETE, OPTIONS";
  static final String HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";

  private final Set<String> origins;

  public CorsFilter(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse out = (HttpServletResponse) response;
    String origin = http.getHeader("Origin");
    boolean preflight =
        "OPTIONS".equals(http.getMethod())
            && http.getHeader("Access-Control-Request-Method") != null;
    if (origin != null) {
      out.addHeader("Vary", "Origin");
      if (origins.contains(origin)) {
        out.setHeader("Access-Control-Allow-Origin", origin);
        out.setHeader(
            "Access-Control-Expose-Headers",
            "Location, Retry-After, Idempotent-Replayed, X-Request-Id");
        if (preflight) {
          out.setHeader("Access-Control-Allow-Methods", METHODS);
          out.setHeader("Access-Control-Allow-Headers", HEADERS);
          out.setHeader("Access-Control-Max-Age", "600");
          out.setStatus(204);
          return;
        }
      } else if (preflight) {
        out.setStatus(403);
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
