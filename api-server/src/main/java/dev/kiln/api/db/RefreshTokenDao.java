package dev.kiln.api.db;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code refresh_tokens} of browser sessions, by the SHA-256 of each token. */
@RegisterConstructorMapper(RefreshTokenRow.class)
public interface RefreshTokenDao {

  @SqlUpdate(
      "insert into refresh_tokens (token_hash, account_id, family_id, created_at, expires_at)"
          + " values (:tokenHash, :accountId, :familyId, :createdAt, :expiresAt)")
  void insert(
      String tokenHash, UUID accountId, UUID familyId, Instant createdAt, Instant expiresAt);

  /** The token's row, locked until the transaction ends (two refreshes with it run in turn). */
  @SqlQuery(
      "select token_hash, account_id, family_id, created_at, expires_at, used_at"
          + " from refresh_tokens where token_hash = :tokenHash for update")
  Optional<RefreshTokenRow> lock(String tokenHash);

  @SqlUpdate("update refresh_tokens set used_at = :now where token_hash = :tokenHash")
  int markUsed(String tokenHash, Instant now);

  @SqlUpdate("delete from refresh_tokens where family_id = :familyId")
  int deleteFamily(UUID familyId);

  @SqlUpdate("delete from refresh_tokens where token_hash = :tokenHash")
  int delete(String tokenHash);

  @SqlUpdate("delete from refresh_tokens where account_id = :accountId")
  int deleteAllOf(UUID accountId);

  @SqlUpdate("delete from refresh_tokens where account_id = :accountId and expires_at < :now")
  int deleteExpiredOf(UUID accountId, Instant now);
}
