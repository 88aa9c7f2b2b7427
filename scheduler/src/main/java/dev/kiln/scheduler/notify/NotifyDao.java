package dev.kiln.scheduler.notify;

import dev.kiln.model.OutboxEvent;
import dev.kiln.model.notify.NotificationKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements only the notify stage runs: its cursor over the outbox, deliveries, e-mails. */
@RegisterConstructorMapper(OutboxEvent.class)
@RegisterConstructorMapper(NotifyDao.DueDelivery.class)
@RegisterConstructorMapper(NotifyDao.DueEmail.class)
public interface NotifyDao {
  /** A delivery whose time has come, with its webhook's address and secret. */
  record DueDelivery(
      UUID id,
      UUID webhookId,
      String eventId,
      String body,
      int attempts,
      Instant createdAt,
      String url,
      String secret,
      Instant failingSince) {}

  /** An e-mail whose time has come. */
  record DueEmail(
      UUID id,
      String recipient,
      String subject,
      String textBody,
      String htmlBody,
      String unsubscribeUrl,
      int attempts,
      Instant createdAt) {}

  /** Outbox events after the cursor that have not been decided on, oldest first. */
  @SqlQuery(
      "select o.id, o.job_id, o.owner_id, o.type, o.payload_json::text as payload_json,"
          + " o.created_at from outbox o where o.id > (select after_id from notify_cursor where"
          + " id = 1) and not exists (select 1 from notify_handled_events h where h.event_id ="
          + " o.id) order by o.id limit :limit")
  List<OutboxEvent> pendingEvents(int limit);

  /** Records an event as decided on; answers 0 when it already was. */
  @SqlUpdate(
      "insert into notify_handled_events (event_id, handled_at) values (:eventId, :now) on"
          + " conflict do nothing")
  int markHandled(long eventId, Instant now);

  /**
   * Moves the cursor over the events decided on that were written before {@code settled} (later
   * ones could still be committed below a higher id), then forgets their handled rows.
   */
  @SqlUpdate(
      "with c as (select after_id from notify_cursor where id = 1), first_open as (select"
          + " min(o.id) as id from outbox o, c where o.id > c.after_id and (o.created_at >="
          + " :settled or not exists (select 1 from notify_handled_events h where h.event_id ="
          + " o.id))), last_settled as (select max(o.id) as id from outbox o, c where o.id >"
          + " c.after_id and o.created_at < :settled) update notify_cursor n set after_id ="
          + " greatest(n.after_id, coalesce((select least(coalesce(f.id - 1, s.id), s.id) from"
          + " first_open f, last_settled s where s.id is not null), n.after_id)) where n.id = 1")
  int advanceCursor(Instant settled);

  @SqlUpdate(
      "delete from notify_handled_events where event_id <= (select after_id from notify_cursor"
          + " where id = 1)")
  int forgetBelowCursor();

  /** Forgets finished webhook deliveries (their attempts with them) created before a time. */
  @SqlUpdate("delete from webhook_deliveries where status <> 'pending' and created_at < :before")
  int forgetDeliveries(Instant before);

  /** Forgets e-mails sent or given up that were created before a time. */
  @SqlUpdate("delete from email_messages where status <> 'pending' and created_at < :before")
  int forgetEmails(Instant before);

  @SqlQuery("select exists (select 1 from accounts where id = :accountId)")
  boolean accountExists(UUID accountId);

  @SqlQuery("select email from accounts where id = :accountId and not disabled")
  Optional<String> recipient(UUID accountId);

  @SqlQuery("select monthly_budget_usd from accounts where id = :accountId")
  Optional<BigDecimal> monthlyBudget(UUID accountId);

  /** Records a budget threshold told for a month; answers 0 when it already was. */
  @SqlUpdate(
      "insert into budget_alerts (account_id, month, percent, created_at) values (:accountId,"
          + " :month, :percent, :now) on conflict do nothing")
  int addBudgetAlert(UUID accountId, LocalDate month, int percent, Instant now);

  @SqlUpdate(
      "insert into email_messages (id, owner_id, kind, recipient, subject, text_body, html_body,"
          + " unsubscribe_url, status, next_attempt_at, created_at) values (:id, :ownerId, :kind,"
          + " :recipient, :subject, :textBody, :htmlBody, :unsubscribeUrl, 'pending', :now,"
          + " :now)")
  void addEmail(
      UUID id,
      UUID ownerId,
      NotificationKind kind,
      String recipient,
      String subject,
      String textBody,
      String htmlBody,
      String unsubscribeUrl,
      Instant now);

  @SqlQuery(
      "select d.id, d.webhook_id, d.event_id, d.body, d.attempts, d.created_at, w.url,"
          + " w.secret, w.failing_since from webhook_deliveries d join webhooks w on w.id ="
          + " d.webhook_id where d.status = 'pending' and d.next_attempt_at <= :now and"
          + " w.disabled_at is null order by d.next_attempt_at limit :limit")
  List<DueDelivery> dueDeliveries(Instant now, int limit);

  /** Whether a delivery to an enabled webhook waits for an attempt, now or later. */
  @SqlQuery(
      "select exists (select 1 from webhook_deliveries d join webhooks w on w.id = d.webhook_id"
          + " where d.status = 'pending' and w.disabled_at is null)")
  boolean deliveriesPending();

  @SqlUpdate(
      "insert into webhook_attempts (delivery_id, attempted_at, status_code, duration_ms, error)"
          + " values (:deliveryId, :attemptedAt, :statusCode, :durationMs, :error)")
  void addAttempt(
      UUID deliveryId, Instant attemptedAt, Integer statusCode, int durationMs, String error);

  @SqlUpdate(
      "update webhook_deliveries set status = 'delivered', attempts = attempts + 1,"
          + " next_attempt_at = null, finished_at = :now where id = :id")
  int delivered(UUID id, Instant now);

  @SqlUpdate(
      "update webhook_deliveries set attempts = attempts + 1, next_attempt_at = :next where id ="
          + " :id")
  int retryAt(UUID id, Instant next);

  @SqlUpdate(
      "update webhook_deliveries set status = 'failed', attempts = attempts + 1,"
          + " next_attempt_at = null, finished_at = :now where id = :id")
  int gaveUp(UUID id, Instant now);

  @SqlUpdate("update webhooks set failing_since = null where id = :id")
  int webhookSucceeded(UUID id);

  @SqlUpdate("update webhooks set failing_since = coalesce(failing_since, :now) where id = :id")
  int webhookFailed(UUID id, Instant now);

  @SqlUpdate(
      "update webhooks set disabled_at = :now, disabled_reason = :reason where id = :id and"
          + " disabled_at is null")
  int disableWebhook(UUID id, Instant now, String reason);

  @SqlQuery(
      "select id, recipient, subject, text_body, html_body, unsubscribe_url, attempts,"
          + " created_at from email_messages where status = 'pending' and next_attempt_at <="
          + " :now order by next_attempt_at limit :limit")
  List<DueEmail> dueEmails(Instant now, int limit);

  /** Whether an e-mail waits for an attempt, now or later. */
  @SqlQuery("select exists (select 1 from email_messages where status = 'pending')")
  boolean emailsPending();

  @SqlUpdate(
      "update email_messages set status = 'sent', attempts = attempts + 1, sent_at = :now,"
          + " next_attempt_at = null where id = :id")
  int emailSent(UUID id, Instant now);

  @SqlUpdate(
      "update email_messages set attempts = attempts + 1, next_attempt_at = :next, last_error ="
          + " :error where id = :id")
  int emailRetryAt(UUID id, Instant next, String error);

  @SqlUpdate(
      "update email_messages set status = 'failed', attempts = attempts + 1, next_attempt_at ="
          + " null, last_error = :error where id = :id")
  int emailGaveUp(UUID id, String error);
}
