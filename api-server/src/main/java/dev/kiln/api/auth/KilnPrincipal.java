package dev.kiln.api.auth;

import dev.kiln.model.Role;
import java.security.Principal;
import java.util.UUID;

/**
 * Who is calling: the account, its role, and the API key used (null for an access token).
 * Immutable.
 */
public record KilnPrincipal(UUID accountId, String email, Role role, UUID apiKeyId)
    implements Principal {

  @Override
  public String getName() {
    return email;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
