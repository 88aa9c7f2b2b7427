package dev.kiln.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.Fixtures;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event streams: a cap per account, and a stream ends within seconds once its credential no longer
 * holds (log-out, password change, disabled account, revoked API key).
 */
@ExtendWith(KilnStackExtension.class)
class EventStreamIT {
  private static final int CAP = 2;
  private static final Duration FEW_SECONDS = Duration.ofSeconds(10);
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("events.maxStreamsPerAccount", String.valueOf(CAP)),
            // A closed client is noticed at the next heartbeat, and its slot freed.
            ConfigOverride.config("events.heartbeatEvery", "1 second"));
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static URI events(String job) {
    return URI.create(api.base() + "/api/v1/jobs/" + job + "/events");
  }

  /** A stream of a job that stays SUBMITTED (no scheduler runs here), so it stays open. */
  private static OpenStream following(String token, String credential, boolean inQuery) {
    OpenStream stream = OpenStream.open(events(fixtures.submittedJob(token)), credential, inQuery);
    assertThat(stream.status()).isEqualTo(200);
    await().atMost(FEW_SECONDS).until(stream::started);
    return stream;
  }

  private static void assertEndsForCredentials(OpenStream stream) {
    await().atMost(FEW_SECONDS).until(stream::ended);
    assertThat(stream.lines()).contains("event: end");
    assertThat(String.join("\n", stream.lines())).contains("\"reason\":\"credentials\"");
  }

  @Test
  void anAccountMayOpenOnlyItsLimitOfStreams() {
    String token = api.newUser();
    String job = fixtures.submittedJob(token);
    OpenStream first = following(token, token, true);
    OpenStream second = following(token, token, false);

    OpenStream third = OpenStream.open(events(job), token, true);

    assertThat(third.status()).isEqualTo(429);
    assertThat(third.contentType()).startsWith("application/problem+json");
    assertThat(third.refusal()).contains("You have 2 event streams open").contains("close one");
    String other = api.newUser();
    try (OpenStream otherAccount = following(other, other, true)) {
      assertThat(otherAccount.ended()).as("another account has its own streams").isFalse();
    }
    first.close();
    await()
        .atMost(FEW_SECONDS)
        .until(
            () -> {
              OpenStream again = OpenStream.open(events(job), token, true);
              boolean opened = again.status() == 200;
              again.close();
              return opened;
            });
    second.close();
  }

  @Test
  void loggingOutEndsTheStream() {
    String token = api.newUser();
    try (OpenStream stream = following(token, token, true)) {
      assertThat(stream.ended()).isFalse();

      assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);

      assertEndsForCredentials(stream);
    }
  }

  @Test
  void changingThePasswordEndsTheStream() {
    String token = api.newUser();
    try (OpenStream stream = following(token, token, true)) {
      assertThat(
              api.post(
                      "/api/v1/account/password",
                      token,
                      Map.of(
                          "currentPassword",
                          ApiHarness.PASSWORD,
                          "newPassword",
                          "copper kettle under moonlight"))
                  .status())
          .isEqualTo(200);

      assertEndsForCredentials(stream);
    }
  }

  @Test
  void disablingTheAccountEndsTheStream() {
    String admin = fixtures.makeAdmin("admin-" + UUID.randomUUID() + "@example.com");
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    try (OpenStream stream = following(token, token, false)) {
      assertThat(api.post("/api/v1/admin/accounts/" + account + "/disable", admin, null).status())
          .isEqualTo(204);

      assertEndsForCredentials(stream);
    }
  }

  @Test
  void revokingTheApiKeyEndsItsStream() {
    String token = api.newUser();
    ApiHarness.Answer key = api.post("/api/v1/account/api-keys", token, Map.of("name", "tail"));
    try (OpenStream stream = following(token, key.text("key"), false)) {
      assertThat(api.delete("/api/v1/account/api-keys/" + key.text("id"), token).status())
          .isEqualTo(204);

      assertEndsForCredentials(stream);
    }
  }
}
