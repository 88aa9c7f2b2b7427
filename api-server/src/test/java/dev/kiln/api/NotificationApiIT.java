package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.UnsubscribeToken;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook addresses refused at creation, in-app notifications listed and read, e-mail preferences
 * and unsubscribe links, on an API without local mode's loopback webhooks.
 */
@ExtendWith(KilnStackExtension.class)
class NotificationApiIT {
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void webhooksToPrivateOrLoopbackAddressesAreRefusedWithAProblem() {
    String token = api.newUser();
    for (String url :
        List.of(
            "http://169.254.169.254/",
            "https://169.254.169.254/latest/meta-data/",
            "https://localhost/hook",
            "https://127.0.0.1:8443/hook",
            "https://[::1]/hook",
            "https://[::ffff:169.254.169.254]/",
            "https://10.1.2.3/",
            "https://[fd00::1]/",
            "http://localhost:9/hook")) {
      Answer answer = api.post("/api/v1/webhooks", token, Map.of("url", url));

      assertThat(answer.status()).as(url).isEqualTo(422);
      assertThat(answer.contentType()).as(url).startsWith("application/problem+json");
      assertThat(answer.text("detail")).as(url).containsAnyOf("public addresses", "https");
    }
    assertThat(api.get("/api/v1/webhooks", token).body()).isEmpty();
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedAndSaysWhy() {
    Answer answer =
        api.post("/api/v1/webhooks", api.newUser(), Map.of("url", "https://localhost:8443/in"));

    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.text("detail")).contains("localhost").contains("loopback");
  }

  @Test
  void notificationsAreListedNewestFirstInPagesAndMarkedRead() {
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    List<UUID> ids = new ArrayList<>();
    Instant start = Instant.parse("2026-03-01T10:00:00Z");
    for (int i = 0; i < 5; i++) {
      UUID id = UUID.randomUUID();
      fixtures.sql(
          "insert into notifications (id, owner_id, kind, title, body, created_at) values (?, ?,"
              + " ?, ?, 'body', ?)",
          id,
          account,
          NotificationKind.JOB_SUCCEEDED.name(),
          "n" + i,
          start.plusSeconds(i));
      ids.add(id);
    }
    assertThat(api.get("/api/v1/notifications", api.newUser()).body().get("items")).isEmpty();

    JsonNode first = api.get("/api/v1/notifications?limit=3", token).body();
    JsonNode second =
        api.get("/api/v1/notifications?limit=3&cursor=" + first.get("nextCursor").asText(), token)
            .body();
    assertThat(titles(first)).containsExactly("n4", "n3", "n2");
    assertThat(titles(second)).containsExactly("n1", "n0");
    assertThat(second.get("nextCursor").isNull()).isTrue();

    assertThat(api.post("/api/v1/notifications/" + ids.get(4) + "/read", token, null).status())
        .isEqualTo(204);
    assertThat(titles(api.get("/api/v1/notifications?unread=true", token).body()))
        .containsExactly("n3", "n2", "n1", "n0");
    assertThat(
            api.post("/api/v1/notifications/" + ids.get(4) + "/read", api.newUser(), null).status())
        .isEqualTo(404);

    assertThat(api.post("/api/v1/notifications/read-all", token, null).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/notifications?unread=true", token).body().get("items")).isEmpty();
    assertThat(api.get("/api/v1/notifications", token).body().get("items")).hasSize(5);
  }

  @Test
  void preferencesAreSavedAndAnUnsubscribeLinkTurnsItsKindOffWithoutLogin() {
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    JsonNode defaults = api.get("/api/v1/account/notifications", token).body();
    assertThat(defaults.get("jobSucceeded").asBoolean()).isTrue();
    assertThat(defaults.get("jobFailed").asBoolean()).isTrue();

    Answer saved =
        api.call(
            "PUT",
            "/api/v1/account/notifications",
            token,
            api.toJson(
                Map.of(
                    "jobSucceeded", false,
                    "jobFailed", true,
                    "budgetWarning", true,
                    "budgetExceeded", true)));
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.body().get("jobSucceeded").asBoolean()).isFalse();
    Answer partial =
        api.call(
            "PUT",
            "/api/v1/account/notifications",
            token,
            api.toJson(Map.of("jobSucceeded", true)));
    assertThat(partial.status()).isEqualTo(422);
    assertThat(partial.contentType()).startsWith("application/problem+json");

    String link =
        "/api/v1/notifications/unsubscribe?token="
            + new UnsubscribeToken(account, NotificationKind.JOB_FAILED)
                .sign(NotificationMatrixRows.UNSUBSCRIBE_KEY);
    Answer page = api.get(link, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw().body()).contains("job failure");

    JsonNode after = api.get("/api/v1/account/notifications", token).body();
    assertThat(after.get("jobFailed").asBoolean()).isFalse();
    assertThat(after.get("jobSucceeded").asBoolean()).isFalse();
    assertThat(after.get("budgetWarning").asBoolean()).isTrue();

    Answer forged = api.get(link.substring(0, link.length() - 3) + "abc", null);
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.contentType()).startsWith("application/problem+json");
  }

  private static List<String> titles(JsonNode page) {
    List<String> titles = new ArrayList<>();
    page.get("items").forEach(item -> titles.add(item.get("title").asText()));
    return titles;
  }
}
