package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.Fixtures;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Enabling a disabled account again does not bring its old access tokens back. */
@ExtendWith(KilnStackExtension.class)
class ReEnabledAccountIT {
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
  void tokensIssuedBeforeDisablingStayDeadAfterEnabling() throws Exception {
    String admin = fixtures.makeAdmin("admin-" + UUID.randomUUID() + "@example.com");
    String email = "reenabled-" + UUID.randomUUID() + "@example.com";
    String oldToken = api.signup(email);
    UUID account = fixtures.accountId(oldToken);
    Thread.sleep(5);

    assertThat(api.post("/api/v1/admin/accounts/" + account + "/disable", admin, null).status())
        .isEqualTo(204);
    assertThat(api.get("/api/v1/whoami", oldToken).status()).isEqualTo(401);
    assertThat(api.post("/api/v1/admin/accounts/" + account + "/enable", admin, null).status())
        .isEqualTo(204);

    assertThat(api.get("/api/v1/whoami", oldToken).status()).isEqualTo(401);
    ApiHarness.Answer login =
        api.post(
            "/api/v1/auth/login", null, Map.of("email", email, "password", ApiHarness.PASSWORD));
    assertThat(login.status()).isEqualTo(200);
    String newToken = login.text("accessToken");
    assertThat(api.get("/api/v1/whoami", newToken).status()).isEqualTo(200);
  }
}
