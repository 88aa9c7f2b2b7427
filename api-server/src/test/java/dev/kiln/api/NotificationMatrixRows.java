package dev.kiln.api;

import dev.kiln.api.AuthorizationMatrixIT.Call;
import dev.kiln.api.AuthorizationMatrixIT.Callers;
import dev.kiln.api.AuthorizationMatrixIT.Row;
import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.UnsubscribeToken;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** The authorization matrix's rows for webhooks, notifications and e-mail preferences. */
final class NotificationMatrixRows {
  /** The unsubscribe key of {@code api-test.yml}. */
  static final String UNSUBSCRIBE_KEY = "test-unsubscribe-key-test-unsubscribe-key";

  /** A receiver nobody listens on: the harness runs no scheduler, so nothing is sent. */
  private static final String RECEIVER = "http://127.0.0.1:9/hook";

  private final ApiHarness api;
  private final Fixtures fixtures;
  private final Map<String, String> webhooks = new HashMap<>();

  NotificationMatrixRows(ApiHarness api, Fixtures fixtures) {
    this.api = api;
    this.fixtures = fixtures;
  }

  List<Row> rows() {
    return List.of(
        row("POST", "/api/v1/webhooks", c -> new Call("/api/v1/webhooks", hook()), 201, 201, 201),
        row("GET", "/api/v1/webhooks", c -> new Call("/api/v1/webhooks", null), 200, 200, 200),
        owned("GET", "/api/v1/webhooks/{id}", c -> webhook(c), 200),
        owned("DELETE", "/api/v1/webhooks/{id}", c -> newWebhook(c), 204),
        owned("POST", "/api/v1/webhooks/{id}/enable", c -> webhook(c) + "/enable", 200),
        owned("POST", "/api/v1/webhooks/{id}/test", c -> webhook(c) + "/test", 202),
        owned("GET", "/api/v1/webhooks/{id}/deliveries", c -> webhook(c) + "/deliveries", 200),
        owned("GET", "/api/v1/webhooks/{id}/deliveries/{deliveryId}", this::delivery, 200),
        owned(
            "POST",
            "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
            c -> delivery(c) + "/redeliver",
            202),
        row(
            "GET",
            "/api/v1/notifications",
            c -> new Call("/api/v1/notifications?unread=true", null),
            200,
            200,
            200),
        owned(
            "POST",
            "/api/v1/notifications/{id}/read",
            c -> "/api/v1/notifications/" + notification(c) + "/read",
            204),
        row(
            "POST",
            "/api/v1/notifications/read-all",
            c -> new Call("/api/v1/notifications/read-all", null),
            204,
            204,
            204),
        new Row(
            "GET",
            "/api/v1/notifications/unsubscribe",
            false,
            c -> new Call("/api/v1/notifications/unsubscribe?token=" + token(c), null),
            200,
            200,
            200,
            200),
        new Row(
            "POST",
            "/api/v1/notifications/unsubscribe",
            false,
            c -> new Call("/api/v1/notifications/unsubscribe?token=" + token(c), null),
            204,
            204,
            204,
            204),
        row(
            "GET",
            "/api/v1/account/notifications",
            c -> new Call("/api/v1/account/notifications", null),
            200,
            200,
            200),
        row(
            "PUT",
            "/api/v1/account/notifications",
            c ->
                new Call(
                    "/api/v1/account/notifications",
                    Map.of(
                        "jobSucceeded",
                        true,
                        "jobFailed",
                        true,
                        "budgetWarning",
                        false,
                        "budgetExceeded",
                        true)),
            200,
            200,
            200));
  }

  private static Map<String, String> hook() {
    return Map.of("url", RECEIVER);
  }

  /** The owner's webhook, made once: an account has at most ten. */
  private String webhook(Callers callers) {
    return webhooks.computeIfAbsent(callers.owner(), owner -> newWebhook(callers));
  }

  private String newWebhook(Callers callers) {
    return "/api/v1/webhooks/" + api.post("/api/v1/webhooks", callers.owner(), hook()).text("id");
  }

  private String delivery(Callers callers) {
    String webhook = webhook(callers);
    return webhook + "/deliveries/" + api.post(webhook + "/test", callers.owner(), null).text("id");
  }

  private UUID notification(Callers callers) {
    UUID id = UUID.randomUUID();
    fixtures.sql(
        "insert into notifications (id, owner_id, kind, title, body, created_at) values (?, ?,"
            + " ?, 'A title', 'A body', ?)",
        id,
        fixtures.accountId(callers.owner()),
        NotificationKind.JOB_SUCCEEDED.name(),
        Instant.now());
    return id;
  }

  private String token(Callers callers) {
    return new UnsubscribeToken(fixtures.accountId(callers.owner()), NotificationKind.JOB_FAILED)
        .sign(UNSUBSCRIBE_KEY);
  }

  /** Any signed-in caller gets the same answer about their own things. */
  private static Row row(
      String method,
      String template,
      Function<Callers, Call> call,
      int owner,
      int other,
      int admin) {
    return new Row(method, template, false, call, 401, owner, other, admin);
  }

  /** Only the owner reaches the owner's thing; everyone else is told it does not exist. */
  private static Row owned(
      String method, String template, Function<Callers, String> path, int owner) {
    return new Row(
        method, template, false, c -> new Call(path.apply(c), null), 401, owner, 404, 404);
  }
}
