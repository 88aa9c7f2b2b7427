package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Browser sessions: the refresh cookie, its rotation and everything that ends it. */
@ExtendWith(KilnStackExtension.class)
class RefreshSessionIT {
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

  private static String email() {
    return "rena-" + UUID.randomUUID() + "@example.com";
  }

  private static Answer login(String email) {
    return api.post(
        "/api/v1/auth/login", null, Map.of("email", email, "password", ApiHarness.PASSWORD));
  }

  private static String setCookie(Answer answer) {
    List<String> cookies = answer.raw().headers().allValues("Set-Cookie");
    assertThat(cookies).hasSize(1);
    return cookies.get(0);
  }

  /** The refresh token the answer's Set-Cookie carries. */
  private static String refreshToken(Answer answer) {
    String cookie = setCookie(answer);
    assertThat(cookie).startsWith("kiln_refresh=");
    return cookie.substring("kiln_refresh=".length(), cookie.indexOf(';'));
  }

  private static Answer refresh(String token) {
    return api.call(
        "POST", "/api/v1/auth/refresh", null, null, Map.of("Cookie", "kiln_refresh=" + token));
  }

  private static int whoami(String credential) {
    return api.get("/api/v1/whoami", credential).status();
  }

  @Test
  void loginSetsAnHttpOnlyStrictCookieOnTheAuthPathOnly() {
    String email = email();
    api.signup(email);

    String cookie = setCookie(login(email));

    assertThat(cookie)
        .contains("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=1209600")
        .doesNotContain("Secure");
    assertThat(refreshToken(login(email))).hasSizeGreaterThanOrEqualTo(43);
  }

  @Test
  void aRefreshAnswersANewAccessTokenAndRotatesTheCookie() {
    String email = email();
    api.signup(email);
    String first = refreshToken(login(email));

    Answer refreshed = refresh(first);

    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.text("tokenType")).isEqualTo("Bearer");
    assertThat(refreshed.body().path("account").path("email").asText()).isEqualTo(email);
    assertThat(whoami(refreshed.text("accessToken"))).isEqualTo(200);
    String second = refreshToken(refreshed);
    assertThat(second).isNotEqualTo(first);
    assertThat(refresh(second).status()).isEqualTo(200);
  }

  @Test
  void aRefreshTokenUsedTwiceEndsTheWholeSession() {
    String email = email();
    api.signup(email);
    String first = refreshToken(login(email));
    String second = refreshToken(refresh(first));

    Answer replayed = refresh(first);

    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.contentType()).startsWith("application/problem+json");
    assertThat(replayed.text("detail")).contains("log in again");
    assertThat(setCookie(replayed)).startsWith("kiln_refresh=;").contains("Max-Age=0");
    assertThat(refresh(second).status()).as("the thief's copy dies too").isEqualTo(401);
  }

  @Test
  void unknownAndMissingCookiesAreRefused() {
    assertThat(refresh("not-a-token").status()).isEqualTo(401);
    assertThat(api.post("/api/v1/auth/refresh", null, null).status()).isEqualTo(401);
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() {
    String email = email();
    api.signup(email);
    Answer login = login(email);
    String cookie = refreshToken(login);

    Answer logout = api.post("/api/v1/auth/logout", login.text("accessToken"), null);

    assertThat(logout.status()).isEqualTo(204);
    assertThat(setCookie(logout)).startsWith("kiln_refresh=;").contains("Max-Age=0");
    assertThat(refresh(cookie).status()).isEqualTo(401);
  }

  @Test
  void aPasswordChangeEndsOtherSessionsAndStartsANewOne() {
    String email = email();
    api.signup(email);
    Answer login = login(email);
    String old = refreshToken(login);

    Answer changed =
        api.post(
            "/api/v1/account/password",
            login.text("accessToken"),
            Map.of("currentPassword", ApiHarness.PASSWORD, "newPassword", "another long password"));

    assertThat(changed.status()).isEqualTo(200);
    assertThat(refresh(old).status()).isEqualTo(401);
    assertThat(refresh(refreshToken(changed)).status()).isEqualTo(200);
  }

  @Test
  void aDisabledAccountCannotRefresh() {
    String email = email();
    api.signup(email);
    Answer login = login(email);
    String cookie = refreshToken(login);
    UUID account = fixtures.accountId(login.text("accessToken"));
    String admin = fixtures.makeAdmin(email());

    assertThat(api.post("/api/v1/admin/accounts/" + account + "/disable", admin, null).status())
        .isEqualTo(204);

    assertThat(refresh(cookie).status()).isEqualTo(401);
  }
}
