package dev.kiln.api.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Reads {@code Authorization: Bearer <token or API key>}. Only event streams (paths ending in
 * {@code /events}) also take {@code ?access_token=}, because browsers cannot set headers on an
 * EventSource. Thread-safe.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerAuthFilter extends AuthFilter<String, KilnPrincipal> {
  static final String SCHEME = "Bearer";

  @Override
  public void filter(ContainerRequestContext request) {
    String credential = credential(request);
    if (credential == null || !authenticate(request, credential, SCHEME)) {
      throw new WebApplicationException(unauthorizedHandler.buildResponse(prefix, realm));
    }
  }

  private static String credential(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header != null) {
      int space = header.indexOf(' ');
      if (space > 0 && header.substring(0, space).equalsIgnoreCase(SCHEME)) {
        return header.substring(space + 1).strip();
      }
      return null;
    }
    if (request.getUriInfo().getPath().endsWith("/events")) {
      return request.getUriInfo().getQueryParameters().getFirst("access_token");
    }
    return null;
  }

  /** Builds the filter. */
  public static final class Builder
      extends AuthFilterBuilder<String, KilnPrincipal, BearerAuthFilter> {
    @Override
    protected BearerAuthFilter newInstance() {
      return new BearerAuthFilter();
    }
  }
}
