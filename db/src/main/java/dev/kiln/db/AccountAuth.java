package dev.kiln.db;

import dev.kiln.model.Role;
import java.time.Instant;
import java.util.UUID;

/**
 * What authentication needs of an account: its role, whether it is disabled and from when its
 * access tokens count.
 */
public record AccountAuth(
    UUID id, String email, Role role, boolean disabled, Instant tokensValidAfter) {

  /** Whether a token issued at {@code issuedAt} is still honoured. */
  public boolean acceptsTokenIssuedAt(Instant issuedAt) {
    return !disabled && (tokensValidAfter == null || !issuedAt.isBefore(tokensValidAfter));
  }
}
