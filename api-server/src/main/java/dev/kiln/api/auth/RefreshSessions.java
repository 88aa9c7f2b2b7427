package dev.kiln.api.auth;

import dev.kiln.api.db.RefreshTokenDao;
import dev.kiln.api.db.RefreshTokenRow;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Browser sessions that outlive an access token: a random refresh token (kept only as SHA-256),
 * exchanged once for a new access token and the next refresh token of the same family. A token
 * presented a second time means it was copied: the whole family ends, so the thief and the owner
 * both have to log in again. Logging out, a password change and disabling the account end every
 * session through the account's token cut-off, which the caller checks against {@link
 * Exchange#sessionStartedAt()}. Thread-safe.
 */
public final class RefreshSessions {
  private final Jdbi jdbi;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public RefreshSessions(Jdbi jdbi, Duration ttl, Clock clock) {
    this.jdbi = jdbi;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** How long a refresh token lasts unused. */
  public Duration ttl() {
    return ttl;
  }

  /** Starts a session of the account: its first refresh token. */
  public Issued start(UUID accountId) {
    Instant now = clock.instant();
    return jdbi.inTransaction(
        handle -> {
          RefreshTokenDao dao = handle.attach(RefreshTokenDao.class);
          dao.deleteExpiredOf(accountId, now);
          return issue(dao, accountId, UUID.randomUUID(), now);
        });
  }

  /**
   * Exchanges a refresh token for the next one of its family; empty when the token is unknown,
   * expired or already used (then its family ends too).
   */
  public Optional<Exchange> exchange(String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      return Optional.empty();
    }
    String hash = ApiKeys.sha256(token);
    Instant now = clock.instant();
    return jdbi.inTransaction(
        handle -> {
          RefreshTokenDao dao = handle.attach(RefreshTokenDao.class);
          Optional<RefreshTokenRow> found = dao.lock(hash);
          if (found.isEmpty()) {
            return Optional.empty();
          }
          RefreshTokenRow row = found.get();
          if (row.usedAt() != null) {
            dao.deleteFamily(row.familyId());
            return Optional.empty();
          }
          if (!row.expiresAt().isAfter(now)) {
            dao.delete(hash);
            return Optional.empty();
          }
          dao.markUsed(hash, now);
          Issued next = issue(dao, row.accountId(), row.familyId(), now);
          return Optional.of(new Exchange(row.accountId(), row.createdAt(), next));
        });
  }

  /** Ends the session the token belongs to (its whole family); unknown tokens are ignored. */
  public void end(String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      return;
    }
    jdbi.useTransaction(
        handle -> {
          RefreshTokenDao dao = handle.attach(RefreshTokenDao.class);
          dao.lock(ApiKeys.sha256(token)).ifPresent(row -> dao.deleteFamily(row.familyId()));
        });
  }

  /** Ends every session of the account. */
  public void endAll(UUID accountId) {
    jdbi.onDemand(RefreshTokenDao.class).deleteAllOf(accountId);
  }

  private Issued issue(RefreshTokenDao dao, UUID accountId, UUID familyId, Instant now) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant expires = now.plus(ttl);
    dao.insert(ApiKeys.sha256(token), accountId, familyId, now, expires);
    return new Issued(token, expires);
  }

  /** A refresh token and when it expires unused. */
  public record Issued(String token, Instant expiresAt) {}

  /**
   * A successful exchange: whose session it is, when the exchanged token was issued (the account's
   * token cut-off applies to it as to an access token), and the next token.
   */
  public record Exchange(UUID accountId, Instant sessionStartedAt, Issued next) {}
}
