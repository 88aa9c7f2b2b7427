package dev.kiln.api.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Reads {@code Authorization: Bearer <token or API key>}. Only resource methods marked {@link
 * QueryTokenAllowed} (event streams) also take {@code ?access_token=}, because browsers cannot set
 * headers on an EventSource; the matched method decides, so path tricks (matrix parameters, encoded
 * slashes) change nothing. Thread-safe.
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
    if (allowsQueryToken(request)) {
      return request.getUriInfo().getQueryParameters().getFirst("access_token");
    }
    return null;
  }

  /** Whether the matched resource method is marked {@link QueryTokenAllowed}. */
  static boolean allowsQueryToken(ContainerRequestContext request) {
    if (!(request.getUriInfo() instanceof ExtendedUriInfo matched)) {
      return false;
    }
    ResourceMethod method = matched.getMatchedResourceMethod();
    return method != null
        && method.getInvocable().getHandlingMethod().isAnnotationPresent(QueryTokenAllowed.class);
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
