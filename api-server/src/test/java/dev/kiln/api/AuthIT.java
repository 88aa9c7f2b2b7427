package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.api.auth.TokenService;
import dev.kiln.model.Role;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Accounts, tokens, API keys and login throttling against the real stack. */
@ExtendWith(KilnStackExtension.class)
class AuthIT {
  private static final String KEY = "test-signing-key-test-signing-key-0001";
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("auth.freeLoginFailures", "3"),
            ConfigOverride.config("auth.maxLoginBackoff", "2 seconds"));
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String email() {
    return "ada-" + UUID.randomUUID() + "@example.com";
  }

  private static int whoami(String credential) {
    return api.get("/api/v1/whoami", credential).status();
  }

  @Test
  void signUpLogInAndSeeTheAccount() {
    String email = email();
    api.signup(email);

    Answer login =
        api.post(
            "/api/v1/auth/login",
            null,
            Map.of("email", email.toUpperCase(), "password", ApiHarness.PASSWORD));

    assertThat(login.status()).isEqualTo(200);
    assertThat(login.text("tokenType")).isEqualTo("Bearer");
    Answer me = api.get("/api/v1/account", login.text("accessToken"));
    assertThat(me.text("email")).isEqualTo(email);
    assertThat(me.text("role")).isEqualTo("USER");
    assertThat(me.raw().body()).doesNotContain("$2b$").doesNotContainIgnoringCase("password");
  }

  @Test
  void theAccountShowsItsStorageAgainstTheQuotaAndItsSpendAgainstTheBudget() {
    String token = api.newUser();
    fixtures.readyFile(token);
    UUID account = fixtures.accountId(token);
    String admin = fixtures.makeAdmin(email());

    Answer free = api.get("/api/v1/account/usage", token);
    api.call(
        "PUT", "/api/v1/admin/accounts/" + account + "/budget", admin, "{\"monthlyBudgetUsd\": 0}");
    Answer spent = api.get("/api/v1/account/usage", token);

    assertThat(free.status()).isEqualTo(200);
    assertThat(free.body().path("bytesUsed").asLong()).isPositive();
    assertThat(free.body().path("quotaBytes").asLong())
        .isGreaterThan(free.body().path("bytesUsed").asLong());
    assertThat(free.text("monthlyBudgetUsd")).isNull();
    assertThat(free.body().path("monthSpendUsd").asDouble()).isZero();
    assertThat(free.text("budgetRefusal")).isNull();
    assertThat(spent.body().path("monthlyBudgetUsd").asDouble()).isZero();
    assertThat(spent.text("budgetRefusal")).contains("Monthly budget of $0.00 reached");
  }

  @Test
  void theSameEmailCannotSignUpTwiceAndWeakPasswordsAreRefused() {
    String email = email();
    api.signup(email);

    assertThat(
            api.post(
                    "/api/v1/auth/signup",
                    null,
                    Map.of("email", email, "password", ApiHarness.PASSWORD))
                .status())
        .isEqualTo(409);
    Answer weak =
        api.post("/api/v1/auth/signup", null, Map.of("email", email(), "password", "short"));
    assertThat(weak.status()).isEqualTo(422);
    assertThat(weak.text("detail")).contains("10");
  }

  @Test
  void passwordsAreStoredAsBcryptOfCostTwelve() throws Exception {
    String email = email();
    api.signup(email);
    try (var connection = api.stack().dataSource().getConnection();
        var statement =
            connection.prepareStatement("select password_hash from accounts where email = ?")) {
      statement.setString(1, email);
      try (var rows = statement.executeQuery()) {
        rows.next();
        assertThat(rows.getString(1)).startsWith("$2b$12$");
      }
    }
  }

  @Test
  void logoutRevokesTheTokensOfTheAccount() {
    String token = api.newUser();
    assertThat(whoami(token)).isEqualTo(200);

    assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);

    assertThat(whoami(token)).isEqualTo(401);
  }

  @Test
  void changingThePasswordLogsOutOldTokensAndTheNewPasswordWorks() {
    String email = email();
    String token = api.signup(email);

    Answer wrong =
        api.post(
            "/api/v1/account/password",
            token,
            Map.of("currentPassword", "not the password", "newPassword", "a brand new password"));
    Answer changed =
        api.post(
            "/api/v1/account/password",
            token,
            Map.of("currentPassword", ApiHarness.PASSWORD, "newPassword", "a brand new password"));

    assertThat(wrong.status()).isEqualTo(403);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(whoami(token)).isEqualTo(401);
    assertThat(whoami(changed.text("accessToken"))).isEqualTo(200);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    null,
                    Map.of("email", email, "password", "a brand new password"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void deletingTheAccountRemovesItsFilesJobsAndObjects() {
    String token = api.newUser();
    UUID owner = fixtures.accountId(token);
    fixtures.succeededJob(token, "result\n");

    assertThat(
            api.post("/api/v1/account/delete", token, Map.of("password", ApiHarness.PASSWORD))
                .status())
        .isEqualTo(204);

    assertThat(whoami(token)).isEqualTo(401);
    for (String bucket : List.of(api.stack().uploadsBucket(), api.stack().resultsBucket())) {
      assertThat(
              api.stack()
                  .s3Client()
                  .listObjectsV2(r -> r.bucket(bucket).prefix(owner + "/"))
                  .contents())
          .isEmpty();
    }
  }

  @Test
  void expiredTamperedUnsignedAndForeignTokensAreAllRefused() {
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String expired =
        new TokenService(List.of(KEY), Duration.ofMinutes(15), past)
            .issue(account, Role.USER)
            .token();
    String foreign =
        new TokenService(List.of("x".repeat(40)), Duration.ofMinutes(15), Clock.systemUTC())
            .issue(account, Role.ADMIN)
            .token();
    String[] parts = token.split("\\.");
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String escalated =
        parts[0] + "." + b64(payload.replace("\"USER\"", "\"ADMIN\"")) + "." + parts[2];

    for (String bad :
        List.of(expired, foreign, unsigned, tampered, escalated, "garbage", "a.b.c")) {
      Answer answer = api.get("/api/v1/whoami", bad);
      assertThat(answer.status()).as(bad).isEqualTo(401);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
    }
    assertThat(
            api.call("GET", "/api/v1/whoami", null, null, Map.of("Authorization", "Basic YTpi"))
                .status())
        .isEqualTo(401);
  }

  @Test
  void aDisabledAccountIsLockedOutOfTokensKeysAndLogin() {
    String email = email();
    String token = api.signup(email);
    String key = api.post("/api/v1/account/api-keys", token, Map.of("name", "ci")).text("key");
    String admin = fixtures.makeAdmin(email());
    UUID account = fixtures.accountId(token);

    assertThat(api.post("/api/v1/admin/accounts/" + account + "/disable", admin, null).status())
        .isEqualTo(204);

    assertThat(whoami(token)).isEqualTo(401);
    assertThat(whoami(key)).isEqualTo(401);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    null,
                    Map.of("email", email, "password", ApiHarness.PASSWORD))
                .status())
        .isEqualTo(401);
    api.post("/api/v1/admin/accounts/" + account + "/enable", admin, null);
    assertThat(whoami(token)).as("tokens issued before disabling stay dead").isEqualTo(401);
    assertThat(whoami(key)).as("API keys are revoked one by one, not by disabling").isEqualTo(200);
    Answer audit = api.get("/api/v1/admin/audit", admin);
    assertThat(audit.raw().body())
        .contains("account.disable", "account.enable", account.toString());
  }

  @Test
  void apiKeysAreShownOnceStoredHashedNamedRevocableAndRecordUse() throws Exception {
    String token = api.newUser();
    Answer created = api.post("/api/v1/account/api-keys", token, Map.of("name", "nightly export"));
    String key = created.text("key");

    assertThat(created.status()).isEqualTo(201);
    assertThat(key).startsWith("kiln_");
    assertThat(api.get("/api/v1/whoami", key).text("via")).isEqualTo("api-key");
    Answer listed = api.get("/api/v1/account/api-keys", token);
    assertThat(listed.raw().body()).contains("nightly export").doesNotContain(key);
    assertThat(listed.body().get(0).get("lastUsedAt").isNull()).isFalse();
    try (var connection = api.stack().dataSource().getConnection();
        var rows = connection.createStatement().executeQuery("select key_hash from api_keys")) {
      while (rows.next()) {
        assertThat(rows.getString(1)).isNotEqualTo(key).doesNotContain(key.substring(5));
      }
    }

    assertThat(api.delete("/api/v1/account/api-keys/" + created.text("id"), token).status())
        .isEqualTo(204);

    assertThat(whoami(key)).isEqualTo(401);
    assertThat(whoami("kiln_" + "A".repeat(32))).isEqualTo(401);
  }

  @Test
  void repeatedLoginFailuresSlowDownThenRecover() throws Exception {
    String email = email();
    api.signup(email);
    Map<String, String> wrong = Map.of("email", email, "password", "wrong password!!");

    for (int i = 0; i < 3; i++) {
      assertThat(api.post("/api/v1/auth/login", null, wrong).status()).isEqualTo(401);
    }
    api.post("/api/v1/auth/login", null, wrong);
    Answer throttled =
        api.post(
            "/api/v1/auth/login", null, Map.of("email", email, "password", ApiHarness.PASSWORD));

    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.header("Retry-After")).isNotNull();
    assertThat(throttled.text("detail")).contains("wait");
    Thread.sleep(2_100);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    null,
                    Map.of("email", email, "password", ApiHarness.PASSWORD))
                .status())
        .isEqualTo(200);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
