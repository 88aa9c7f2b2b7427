package dev.kiln.api.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Security headers on every response, API and web UI alike. Stateless. */
public final class SecurityHeadersFilter implements Filter {
  private final boolean hsts;

  public SecurityHeadersFilter(boolean hsts) {
    this.hsts = hsts;
  }

  /** The headers every response carries, also those the HTTP server answers itself. */
  public static Map<String, String> headers(boolean hsts) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cross-Origin-Opener-Policy", "same-origin");
    headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    headers.put(
        "Content-Security-Policy",
        "default-src 'self'; connect-src 'self' https: http:; img-src 'self' data:;"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (hsts) {
      headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    return headers;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse http = (HttpServletResponse) response;
    headers(hsts).forEach(http::setHeader);
    String path = ((HttpServletRequest) request).getRequestURI();
    if (path != null && path.startsWith("/api/")) {
      http.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
