package dev.kiln.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code api_keys} aggregate. Every user-facing query names the account. */
@RegisterConstructorMapper(ApiKeyRow.class)
@RegisterConstructorMapper(ApiKeyOwner.class)
public interface ApiKeyDao {
  String COLUMNS = "id, account_id, name, prefix, created_at, last_used_at, revoked_at";

  @SqlUpdate(
      "insert into api_keys (id, account_id, name, prefix, key_hash, created_at) values (:id,"
          + " :accountId, :name, :prefix, :keyHash, :createdAt)")
  void insert(
      UUID id, UUID accountId, String name, String prefix, String keyHash, Instant createdAt);

  @SqlQuery(
      "select k.id as key_id, a.id as account_id, a.email, a.role, a.disabled, k.last_used_at"
          + " from api_keys k join accounts a on a.id = k.account_id"
          + " where k.key_hash = :keyHash and k.revoked_at is null")
  Optional<ApiKeyOwner> findActive(String keyHash);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from api_keys where account_id = :accountId order by created_at desc, id")
  List<ApiKeyRow> listFor(UUID accountId);

  @SqlUpdate(
      "update api_keys set revoked_at = :now where id = :id and account_id = :accountId"
          + " and revoked_at is null")
  int revoke(UUID id, UUID accountId, Instant now);

  @SqlQuery("select count(*) from api_keys where id = :id and account_id = :accountId")
  int countFor(UUID id, UUID accountId);

  @SqlQuery(
      "select count(*) from api_keys k join accounts a on a.id = k.account_id"
          + " where k.id = :id and k.revoked_at is null and not a.disabled")
  int countActive(UUID id);

  @SqlUpdate("update api_keys set last_used_at = :now where id = :id")
  int touch(UUID id, Instant now);
}
