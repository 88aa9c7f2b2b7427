package dev.kiln.api.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The request hash stored with a job's idempotency key ({@code jobs.idempotency_hash}). */
public interface IdempotencyDao {
  @SqlUpdate("update jobs set idempotency_hash = :hash where id = :id")
  int setHash(UUID id, String hash);

  /** The stored hash of the owner's job under {@code key}; empty when none was stored. */
  @SqlQuery(
      "select idempotency_hash from jobs where owner_id = :ownerId and idempotency_key = :key"
          + " and idempotency_hash is not null")
  Optional<String> hashOf(UUID ownerId, String key);
}
