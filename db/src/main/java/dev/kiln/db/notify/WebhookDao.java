package dev.kiln.db.notify;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Webhooks, their deliveries and the attempts of each. Every query of an account's webhooks names
 * the owner. The API creates, lists and deletes; the notify stage delivers.
 */
@RegisterConstructorMapper(WebhookRow.class)
@RegisterConstructorMapper(DeliveryRow.class)
@RegisterConstructorMapper(AttemptRow.class)
public interface WebhookDao {
  String WEBHOOK =
      "id, owner_id, url, secret, description, created_at, failing_since, disabled_at,"
          + " disabled_reason";
  String DELIVERY =
      "d.id, d.webhook_id, d.event_id, d.event_type, d.body, d.status, d.attempts,"
          + " d.next_attempt_at, d.created_at, d.finished_at, (select a.status_code from"
          + " webhook_attempts a where a.delivery_id = d.id order by a.id desc limit 1) as"
          + " last_status_code";

  @SqlUpdate(
      "insert into webhooks (id, owner_id, url, secret, description, created_at) values (:id,"
          + " :ownerId, :url, :secret, :description, :createdAt)")
  void insert(
      UUID id, UUID ownerId, String url, String secret, String description, Instant createdAt);

  @SqlQuery(
      "select " + WEBHOOK + " from webhooks where owner_id = :ownerId order by created_at, id")
  List<WebhookRow> list(UUID ownerId);

  @SqlQuery("select count(*) from webhooks where owner_id = :ownerId")
  int count(UUID ownerId);

  @SqlQuery("select " + WEBHOOK + " from webhooks where id = :id and owner_id = :ownerId")
  Optional<WebhookRow> find(UUID ownerId, UUID id);

  @SqlQuery("select " + WEBHOOK + " from webhooks where id = :id")
  Optional<WebhookRow> byId(UUID id);

  @SqlUpdate("delete from webhooks where id = :id and owner_id = :ownerId")
  int delete(UUID ownerId, UUID id);

  /** The account's webhooks that are not disabled, which every job event of it goes to. */
  @SqlQuery(
      "select "
          + WEBHOOK
          + " from webhooks where owner_id = :ownerId and disabled_at is null order by id")
  List<WebhookRow> enabled(UUID ownerId);

  /** Adds a delivery of an event; answers 0 when this webhook already has it. */
  @SqlUpdate(
      "insert into webhook_deliveries (id, webhook_id, event_id, event_type, body, status,"
          + " next_attempt_at, created_at) values (:id, :webhookId, :eventId, :eventType, :body,"
          + " 'pending', :createdAt, :createdAt) on conflict (webhook_id, event_id) do nothing")
  int addDelivery(
      UUID id, UUID webhookId, String eventId, String eventType, String body, Instant createdAt);

  /** A webhook's deliveries, newest first, older than the keyset position when one is given. */
  @SqlQuery(
      "select "
          + DELIVERY
          + " from webhook_deliveries d where d.webhook_id = :webhookId and (cast(:before as"
          + " timestamptz) is null or (d.created_at, d.id) < (:before, cast(:beforeId as uuid)))"
          + " order by d.created_at desc, d.id desc limit :limit")
  List<DeliveryRow> deliveries(UUID webhookId, Instant before, UUID beforeId, int limit);

  @SqlQuery(
      "select "
          + DELIVERY
          + " from webhook_deliveries d where d.id = :id and d.webhook_id ="
          + " :webhookId")
  Optional<DeliveryRow> delivery(UUID webhookId, UUID id);

  @SqlQuery("select " + DELIVERY + " from webhook_deliveries d where d.id = :id")
  Optional<DeliveryRow> deliveryById(UUID id);

  @SqlQuery(
      "select id, delivery_id, attempted_at, status_code, duration_ms, error from"
          + " webhook_attempts where delivery_id = :deliveryId order by id")
  List<AttemptRow> attempts(UUID deliveryId);

  /** Puts a delivery back in line to be sent at once, whatever became of it. */
  @SqlUpdate(
      "update webhook_deliveries set status = 'pending', next_attempt_at = :now, finished_at ="
          + " null where id = :id")
  int redeliver(UUID id, Instant now);

  /** Turns a webhook on again after it was disabled, with a clean record of failures. */
  @SqlUpdate(
      "update webhooks set disabled_at = null, disabled_reason = null, failing_since = null"
          + " where id = :id and owner_id = :ownerId")
  int enable(UUID ownerId, UUID id);
}
