package dev.kiln.api.db;

import dev.kiln.db.JobDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The operator console's searches over accounts, jobs and the audit log, each paged by keyset. */
@RegisterConstructorMapper(AdminQueryDao.AccountRow.class)
@RegisterConstructorMapper(AdminQueryDao.AuditRow.class)
@RegisterConstructorMapper(Job.class)
public interface AdminQueryDao {
  /**
   * An account with its usage, budget, month spend, quota ({@code null}: the default) and prepaid
   * credits (available, and held by running jobs).
   */
  record AccountRow(
      UUID id,
      String email,
      Role role,
      boolean disabled,
      Instant createdAt,
      long files,
      long bytesUsed,
      long jobs,
      double agentSeconds,
      BigDecimal monthlyBudgetUsd,
      double monthSpendUsd,
      Long quotaBytes,
      BigDecimal creditsAvailableUsd,
      BigDecimal creditsReservedUsd) {}

  /** An audit entry with its actor's e-mail ({@code null} once the account is deleted). */
  record AuditRow(
      long id,
      UUID actorId,
      String actorEmail,
      String action,
      String targetType,
      String targetId,
      String detailJson,
      Instant createdAt) {}

  /**
   * Accounts newest first after {@code (before, beforeId)}: one account, {@code pattern} a {@code
   * like} pattern on the lower-cased e-mail, {@code role} and {@code disabled} filters; null means
   * any.
   */
  @SqlQuery(
      """
      select a.id, a.email, a.role, a.disabled, a.created_at,
             (select count(*) from files f where f.owner_id = a.id) as files,
             (select coalesce(sum(f.size_bytes), 0) from files f where f.owner_id = a.id)
                 as bytes_used,
             (select count(*) from jobs j where j.owner_id = a.id) as jobs,
             (select coalesce(sum(j.agent_seconds), 0) from jobs j where j.owner_id = a.id)
                 as agent_seconds,
             a.monthly_budget_usd,
             (select coalesce(sum(s.agent_seconds), 0) from shards s join jobs j on j.id = s.job_id
               where j.owner_id = a.id and (j.finished_at is null or j.finished_at >= :monthStart)
                 and s.updated_at >= :monthStart) * :usdPerAgentSecond as month_spend_usd,
             a.quota_bytes,
             (select coalesce(sum(b.balance), 0) from ledger_books b
               where b.account_id = a.id and b.kind = 'available') as credits_available_usd,
             (select coalesce(sum(b.balance), 0) from ledger_books b
               where b.account_id = a.id and b.kind = 'reserved') as credits_reserved_usd
        from accounts a
       where (cast(:accountId as uuid) is null or a.id = :accountId)
         and (cast(:pattern as text) is null or lower(a.email) like :pattern)
         and (cast(:role as text) is null or a.role = :role)
         and (cast(:disabled as boolean) is null or a.disabled = :disabled)
         and (cast(:before as timestamptz) is null
              or (a.created_at, a.id) < (:before, cast(:beforeId as uuid)))
       order by a.created_at desc, a.id desc
       limit :limit
      """)
  List<AccountRow> accounts(
      UUID accountId,
      String pattern,
      Role role,
      Boolean disabled,
      Instant before,
      UUID beforeId,
      int limit,
      Instant monthStart,
      double usdPerAgentSecond);

  /**
   * Jobs newest first after {@code (before, beforeId)}: of one owner, in one state, and matching
   * {@code pattern} (a lower-cased {@code like} pattern on the id, the processor or the owner's
   * e-mail); null means any.
   */
  @SqlQuery(
      "select "
          + JobDao.COLUMNS
          + """
           from jobs
          where (cast(:ownerId as uuid) is null or owner_id = :ownerId)
            and (cast(:state as text) is null or state = :state)
            and (cast(:pattern as text) is null or id::text like :pattern
                 or lower(processor) like :pattern
                 or exists (select 1 from accounts a where a.id = jobs.owner_id
                            and lower(a.email) like :pattern))
            and (cast(:before as timestamptz) is null
                 or (created_at, id) < (:before, cast(:beforeId as uuid)))
          order by created_at desc, id desc
          limit :limit
          """)
  List<Job> jobs(
      UUID ownerId, JobState state, String pattern, Instant before, UUID beforeId, int limit);

  /**
   * Audit entries newest first with ids below {@code beforeId}: of one actor, one action (or an
   * action prefix as a {@code like} pattern), within {@code [since, until)}; null means any.
   */
  @SqlQuery(
      """
      select l.id, l.actor_id, a.email as actor_email, l.action, l.target_type, l.target_id,
             l.detail_json::text as detail_json, l.created_at
        from audit_log l left join accounts a on a.id = l.actor_id
       where (cast(:actorId as uuid) is null or l.actor_id = :actorId)
         and (cast(:action as text) is null or l.action like :action)
         and (cast(:since as timestamptz) is null or l.created_at >= :since)
         and (cast(:until as timestamptz) is null or l.created_at < :until)
         and (cast(:beforeId as bigint) is null or l.id < :beforeId)
       order by l.id desc
       limit :limit
      """)
  List<AuditRow> audit(
      UUID actorId, String action, Instant since, Instant until, Long beforeId, int limit);

  /** The e-mails of the given accounts, by id. */
  @SqlQuery("select id, email from accounts where id in (<ids>)")
  @KeyColumn("id")
  @ValueColumn("email")
  Map<UUID, String> emails(
      @BindList(value = "ids", onEmpty = BindList.EmptyHandling.NULL_STRING) Collection<UUID> ids);

  /** The bytes the account's files take. */
  @SqlQuery("select coalesce(sum(size_bytes), 0) from files where owner_id = :accountId")
  long bytesUsed(UUID accountId);
}
