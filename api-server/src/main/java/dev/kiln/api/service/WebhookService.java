package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.WebhookAttemptView;
import dev.kiln.client.api.WebhookDeliveryView;
import dev.kiln.client.api.WebhookView;
import dev.kiln.db.notify.DeliveryRow;
import dev.kiln.db.notify.WebhookDao;
import dev.kiln.db.notify.WebhookRow;
import dev.kiln.model.notify.WebhookAddressPolicy;
import dev.kiln.model.notify.WebhookSignature;
import dev.kiln.model.notify.WebhookTarget;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * An account's webhooks: created after their address is checked (the scheduler checks it again
 * before every delivery), listed, deleted, sent a test event; their deliveries listed and sent
 * again by hand. The scheduler's notify stage does the sending. Thread-safe.
 */
public final class WebhookService {
  /** Most webhooks one account may have. */
  public static final int MAX_PER_ACCOUNT = 10;

  /** The event type of a test delivery. */
  public static final String TEST_EVENT = "webhook.test";

  private final Jdbi jdbi;
  private final WebhookAddressPolicy policy;
  private final WebhookTarget.Resolver resolver;
  private final ObjectMapper json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebhookService(
      Jdbi jdbi,
      WebhookAddressPolicy policy,
      WebhookTarget.Resolver resolver,
      ObjectMapper json,
      Clock clock) {
    this.jdbi = jdbi;
    this.policy = policy;
    this.resolver = resolver;
    this.json = json;
    this.clock = clock;
  }

  /** Creates a webhook; the answer carries its signing secret, shown this once. */
  public WebhookView create(UUID ownerId, String url, String description) {
    try {
      WebhookTarget.check(url, policy, resolver);
    } catch (WebhookTarget.RefusedException e) {
      throw new ApiException(
          422, "webhook-address-refused", "Webhook address refused", e.getMessage());
    }
    String secret = WebhookSignature.newSecret(random);
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    jdbi.useTransaction(
        handle -> {
          WebhookDao dao = handle.attach(WebhookDao.class);
          handle.execute("select pg_advisory_xact_lock(hashtext(?))", ownerId.toString());
          if (dao.count(ownerId) >= MAX_PER_ACCOUNT) {
            throw ApiException.validation(
                "An account has at most " + MAX_PER_ACCOUNT + " webhooks; delete one first.");
          }
          dao.insert(id, ownerId, url, secret, description, now);
        });
    WebhookRow row = require(ownerId, id);
    return view(row, secret);
  }

  public List<WebhookView> list(UUID ownerId) {
    return jdbi.onDemand(WebhookDao.class).list(ownerId).stream()
        .map(row -> view(row, null))
        .toList();
  }

  public WebhookView get(UUID ownerId, UUID id) {
    return view(require(ownerId, id), null);
  }

  public void delete(UUID ownerId, UUID id) {
    if (jdbi.onDemand(WebhookDao.class).delete(ownerId, id) == 0) {
      throw notFound(id);
    }
  }

  /** Turns a disabled webhook on again; its deliveries still pending are sent. */
  public WebhookView enable(UUID ownerId, UUID id) {
    if (jdbi.onDemand(WebhookDao.class).enable(ownerId, id) == 0) {
      throw notFound(id);
    }
    return get(ownerId, id);
  }

  /** Queues a {@code webhook.test} event for the webhook; the scheduler sends it shortly. */
  public WebhookDeliveryView sendTest(UUID ownerId, UUID id) {
    WebhookRow webhook = require(ownerId, id);
    requireEnabled(webhook);
    Instant now = clock.instant();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("webhookId", webhook.id().toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TEST_EVENT);
    body.put("timestamp", now.toString());
    body.put("data", data);
    UUID deliveryId = UUID.randomUUID();
    String eventId = "test_" + UUID.randomUUID();
    jdbi.onDemand(WebhookDao.class)
        .addDelivery(deliveryId, webhook.id(), eventId, TEST_EVENT, write(body), now);
    return delivery(ownerId, id, deliveryId);
  }

  public Page<WebhookDeliveryView> deliveries(UUID ownerId, UUID id, Cursor cursor, int limit) {
    require(ownerId, id);
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, rowId, rows) -> dao.deliveries(id, createdAt, rowId, rows),
            (DeliveryRow row) -> new Cursor(row.createdAt(), row.id()))
        .toPage(row -> view(dao, row));
  }

  public WebhookDeliveryView delivery(UUID ownerId, UUID id, UUID deliveryId) {
    require(ownerId, id);
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    return view(dao, dao.delivery(id, deliveryId).orElseThrow(() -> deliveryNotFound(deliveryId)));
  }

  /** Sends a delivery again at once, whatever became of it; same event id, a new attempt. */
  public WebhookDeliveryView redeliver(UUID ownerId, UUID id, UUID deliveryId) {
    WebhookRow webhook = require(ownerId, id);
    requireEnabled(webhook);
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    dao.delivery(id, deliveryId).orElseThrow(() -> deliveryNotFound(deliveryId));
    dao.redeliver(deliveryId, clock.instant());
    return delivery(ownerId, id, deliveryId);
  }

  private static void requireEnabled(WebhookRow webhook) {
    if (webhook.disabledAt() != null) {
      throw ApiException.conflict(
          "The webhook is disabled ("
              + webhook.disabledReason()
              + "); enable it with POST /api/v1/webhooks/"
              + webhook.id()
              + "/enable first.");
    }
  }

  private WebhookRow require(UUID ownerId, UUID id) {
    return jdbi.onDemand(WebhookDao.class).find(ownerId, id).orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(UUID id) {
    return ApiException.notFound("No webhook " + id + " in your account.");
  }

  private static ApiException deliveryNotFound(UUID id) {
    return ApiException.notFound("No delivery " + id + " of this webhook.");
  }

  private static WebhookView view(WebhookRow row, String secret) {
    return new WebhookView(
        row.id(),
        row.url(),
        row.description(),
        row.createdAt(),
        row.disabledAt() == null,
        row.failingSince(),
        row.disabledAt(),
        row.disabledReason(),
        secret);
  }

  private static WebhookDeliveryView view(WebhookDao dao, DeliveryRow row) {
    List<WebhookAttemptView> attempts =
        dao.attempts(row.id()).stream()
            .map(
                attempt ->
                    new WebhookAttemptView(
                        attempt.attemptedAt(),
                        attempt.statusCode(),
                        attempt.durationMs(),
                        attempt.error()))
            .toList();
    return new WebhookDeliveryView(
        row.id(),
        row.eventId(),
        row.eventType(),
        row.status(),
        row.attempts(),
        row.createdAt(),
        row.nextAttemptAt(),
        row.finishedAt(),
        attempts);
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
