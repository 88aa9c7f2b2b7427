package dev.kiln.api.auth;

import dev.kiln.model.Role;
import java.security.Principal;
import java.time.Instant;
import java.util.UUID;

/**
 * Who is calling: the account, its role, and the credential: the API key used, or (for an access
 * token, {@code apiKeyId} null) when the token was issued and when it expires, which a long-lived
 * request such as an event stream checks again while it runs. Immutable.
 */
public record KilnPrincipal(
    UUID accountId,
    String email,
    Role role,
    UUID apiKeyId,
    Instant tokenIssuedAt,
    Instant tokenExpiresAt)
    implements Principal {

  /** A caller authenticated by an API key. */
  public static KilnPrincipal ofApiKey(UUID accountId, String email, Role role, UUID apiKeyId) {
    return new KilnPrincipal(accountId, email, role, apiKeyId, null, null);
  }

  @Override
  public String getName() {
    return email;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
