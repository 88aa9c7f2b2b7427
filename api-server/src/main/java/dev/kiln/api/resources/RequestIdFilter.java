package dev.kiln.api.resources;

import dev.kiln.protocol.LogFields;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id, answered as {@value #HEADER} and put on every log line written while
 * the request is served ({@link LogFields#REQUEST_ID}). A trusted proxy's {@value #HEADER} is kept
 * when it is a plain token of at most 128 characters, so one id follows the request through the
 * load balancer; anyone else's is replaced by a new one. The log context is cleared when the
 * request leaves, whatever happened, so a pooled thread never lends its fields to the next request.
 * Thread-safe.
 */
public final class RequestIdFilter implements Filter {
  public static final String HEADER = "X-Request-Id";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final TrustedProxies proxies;

  public RequestIdFilter(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String id = idOf(http.getHeader(HEADER), http.getRemoteAddr());
    ((HttpServletResponse) response).setHeader(HEADER, id);
    MDC.clear();
    MDC.put(LogFields.REQUEST_ID, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.clear();
    }
  }

  /** The id a request from {@code peer} carrying {@code given} gets. */
  String idOf(String given, String peer) {
    if (given != null && ACCEPTED.matcher(given).matches() && proxies.trusts(peer)) {
      return given;
    }
    return UUID.randomUUID().toString();
  }
}
