package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.service.AdminService;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every operator call refused to a signed-in caller (403 under {@code /api/v1/admin}) to the
 * audit log, so probing of the operator API shows up there beside the admins' own actions. Only the
 * path is recorded, never the query string. Thread-safe.
 */
public final class RefusedAdminCallFilter implements ContainerResponseFilter {
  private static final Logger LOG = LoggerFactory.getLogger(RefusedAdminCallFilter.class);
  static final String ADMIN_PATH = "v1/admin";

  private final AdminService admin;

  public RefusedAdminCallFilter(AdminService admin) {
    this.admin = admin;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() != Response.Status.FORBIDDEN.getStatusCode()
        || !isAdminPath(request.getUriInfo().getPath())
        || !(request.getSecurityContext().getUserPrincipal() instanceof KilnPrincipal caller)) {
      return;
    }
    try {
      admin.recordRefused(
          caller,
          request.getMethod(),
          request.getUriInfo().getRequestUri().getRawPath(),
          response.getStatus());
    } catch (RuntimeException e) {
      LOG.error(
          "Could not audit the refused {} {} of account {}",
          request.getMethod(),
          request.getUriInfo().getRequestUri().getRawPath(),
          caller.accountId(),
          e);
    }
  }

  static boolean isAdminPath(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return relative.equals(ADMIN_PATH) || relative.startsWith(ADMIN_PATH + "/");
  }
}
