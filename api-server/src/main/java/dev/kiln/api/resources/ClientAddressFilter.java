package dev.kiln.api.resources;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * Makes {@code getRemoteAddr()} answer the client's address as {@link TrustedProxies} finds it, so
 * the login and sign-up throttles and everything else that reads the address behind this filter
 * count the client, not the load balancer, and never an address the client wrote itself.
 * Thread-safe.
 */
public final class ClientAddressFilter implements Filter {
  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final TrustedProxies proxies;

  public ClientAddressFilter(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String peer = http.getRemoteAddr();
    List<String> forwarded = Collections.list(http.getHeaders(FORWARDED_FOR));
    String client = proxies.clientAddress(peer, forwarded);
    if (client.equals(peer)) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(
        new HttpServletRequestWrapper(http) {
          @Override
          public String getRemoteAddr() {
            return client;
          }

          @Override
          public String getRemoteHost() {
            return client;
          }
        },
        response);
  }
}
