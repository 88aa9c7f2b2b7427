package dev.kiln.db;

import dev.kiln.model.Account;
import dev.kiln.model.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The {@code accounts} aggregate: credentials, authentication state, quota and the operator
 * listing. The read that authenticates every request is {@link AccountReads#find}.
 */
@RegisterConstructorMapper(Account.class)
@RegisterConstructorMapper(AccountSummary.class)
public interface AccountDao {
  String COLUMNS = "id, email, password_hash, role, disabled, created_at";

  @SqlUpdate(
      "insert into accounts (id, email, password_hash, role, disabled, created_at)"
          + " values (:id, :email, :passwordHash, :role, false, :createdAt)")
  void insert(UUID id, String email, String passwordHash, Role role, Instant createdAt);

  @SqlQuery("select " + COLUMNS + " from accounts where id = :id")
  Optional<Account> findById(UUID id);

  @SqlQuery("select " + COLUMNS + " from accounts where lower(email) = lower(:email)")
  Optional<Account> findByEmail(String email);

  @SqlUpdate("update accounts set password_hash = :passwordHash where id = :id")
  int updatePassword(UUID id, String passwordHash);

  @SqlUpdate("update accounts set disabled = :disabled where id = :id")
  int setDisabled(UUID id, boolean disabled);

  @SqlUpdate("update accounts set role = :role where id = :id")
  int setRole(UUID id, Role role);

  /** Rejects every access token of the account issued before {@code instant}. */
  @SqlUpdate("update accounts set tokens_valid_after = :instant where id = :id")
  int revokeTokensBefore(UUID id, Instant instant);

  @SqlQuery("select quota_bytes from accounts where id = :id")
  Optional<Long> quotaBytes(UUID id);

  @SqlUpdate("update accounts set quota_bytes = :quotaBytes where id = :id")
  int setQuotaBytes(UUID id, Long quotaBytes);

  @SqlQuery("select count(*) from accounts where role = 'ADMIN'")
  int countAdmins();

  /**
   * The operator listing: accounts newest first with their usage, after the keyset position {@code
   * (before, beforeId)} (both null: from the newest).
   */
  @SqlQuery(
      "select a.id, a.email, a.role, a.disabled, a.created_at,"
          + " (select count(*) from files f where f.owner_id = a.id) as files,"
          + " (select coalesce(sum(f.size_bytes), 0) from files f where f.owner_id = a.id)"
          + " as bytes_used,"
          + " (select count(*) from jobs j where j.owner_id = a.id) as jobs,"
          + " (select coalesce(sum(j.agent_seconds), 0) from jobs j where j.owner_id = a.id)"
          + " as agent_seconds,"
          + " a.monthly_budget_usd,"
          + " (select coalesce(sum(s.agent_seconds), 0) from shards s join jobs j on j.id ="
          + " s.job_id where j.owner_id = a.id"
          + " and (j.finished_at is null or j.finished_at >= :monthStart)"
          + " and s.updated_at >= :monthStart)"
          + " * :usdPerAgentSecond as month_spend_usd"
          + " from accounts a where (cast(:before as timestamptz) is null"
          + " or (a.created_at, a.id) < (:before, cast(:beforeId as uuid)))"
          + " order by a.created_at desc, a.id desc limit :limit")
  List<AccountSummary> page(
      Instant before, UUID beforeId, int limit, Instant monthStart, double usdPerAgentSecond);

  /**
   * Removes the account's jobs (and their inputs), then its files, ahead of {@link #delete}; call
   * the three in one transaction.
   */
  @SqlUpdate("delete from jobs where owner_id = :id")
  int deleteJobsOf(UUID id);

  @SqlUpdate("delete from files where owner_id = :id")
  int deleteFilesOf(UUID id);

  @SqlUpdate("delete from accounts where id = :id")
  int delete(UUID id);
}
