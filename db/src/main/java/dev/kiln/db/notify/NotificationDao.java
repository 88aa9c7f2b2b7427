package dev.kiln.db.notify;

import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.NotificationPreferences;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** In-app notifications and the per-account preferences; every query names the owner. */
@RegisterConstructorMapper(NotificationRow.class)
@RegisterConstructorMapper(NotificationPreferences.class)
public interface NotificationDao {
  String COLUMNS = "id, owner_id, kind, title, body, job_id, created_at, read_at";

  @SqlUpdate(
      "insert into notifications (id, owner_id, kind, title, body, job_id, created_at) values"
          + " (:id, :ownerId, :kind, :title, :body, :jobId, :createdAt)")
  void insert(
      UUID id,
      UUID ownerId,
      NotificationKind kind,
      String title,
      String body,
      UUID jobId,
      Instant createdAt);

  /** A page of an account's notifications (only unread ones if asked) newest first. */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from notifications where owner_id = :ownerId and (not :unreadOnly or read_at is"
          + " null) and (cast(:before as timestamptz) is null or (created_at, id) < (:before,"
          + " cast(:beforeId as uuid))) order by created_at desc, id desc limit :limit")
  List<NotificationRow> page(
      UUID ownerId, boolean unreadOnly, Instant before, UUID beforeId, int limit);

  @SqlUpdate(
      "update notifications set read_at = coalesce(read_at, :now) where id = :id and owner_id ="
          + " :ownerId")
  int markRead(UUID ownerId, UUID id, Instant now);

  @SqlUpdate(
      "update notifications set read_at = :now where owner_id = :ownerId and read_at is null")
  int markAllRead(UUID ownerId, Instant now);

  @SqlQuery(
      "select coalesce((select job_succeeded from notification_preferences where account_id ="
          + " :accountId), true) as job_succeeded, coalesce((select job_failed from"
          + " notification_preferences where account_id = :accountId), true) as job_failed,"
          + " coalesce((select budget_warning from notification_preferences where account_id ="
          + " :accountId), true) as budget_warning, coalesce((select budget_exceeded from"
          + " notification_preferences where account_id = :accountId), true) as budget_exceeded")
  NotificationPreferences preferences(UUID accountId);

  @SqlUpdate(
      "insert into notification_preferences (account_id, job_succeeded, job_failed,"
          + " budget_warning, budget_exceeded) values (:accountId, :jobSucceeded, :jobFailed,"
          + " :budgetWarning, :budgetExceeded) on conflict (account_id) do update set"
          + " job_succeeded = excluded.job_succeeded, job_failed = excluded.job_failed,"
          + " budget_warning = excluded.budget_warning, budget_exceeded ="
          + " excluded.budget_exceeded")
  void savePreferences(
      UUID accountId,
      boolean jobSucceeded,
      boolean jobFailed,
      boolean budgetWarning,
      boolean budgetExceeded);
}
