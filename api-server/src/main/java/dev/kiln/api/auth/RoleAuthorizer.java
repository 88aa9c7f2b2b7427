package dev.kiln.api.auth;

import dev.kiln.model.Role;
import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** {@code @RolesAllowed}: admins hold every role, users only {@code USER}. Stateless. */
public final class RoleAuthorizer implements Authorizer<KilnPrincipal> {
  @Override
  public boolean authorize(
      KilnPrincipal principal, String role, ContainerRequestContext requestContext) {
    return principal.role() == Role.ADMIN || principal.role().name().equals(role);
  }
}
