package dev.kiln.api.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Security headers on every response, API and web UI alike. Stateless. */
public final class SecurityHeadersFilter implements Filter {
  private final boolean hsts;

  public SecurityHeadersFilter(boolean hsts) {
    this.hsts = hsts;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse http = (HttpServletResponse) response;
    http.setHeader("X-Content-Type-Options", "nosniff");
    http.setHeader("X-Frame-Options", "DENY");
    http.setHeader("Referrer-Policy", "no-referrer");
    http.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    http.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    http.setHeader(
        "Content-Security-Policy",
        "default-src 'self'; connect-src 'self' https: http:; img-src 'self' data:;"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (hsts) {
      http.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    String path = ((HttpServletRequest) request).getRequestURI();
    if (path != null && path.startsWith("/api/")) {
      http.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
