package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-up and password changes refuse short, blank and common passwords with 422. */
@ExtendWith(KilnStackExtension.class)
class PasswordPolicyIT {
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static Answer signup(String email, String password) {
    return api.post("/api/v1/auth/signup", null, Map.of("email", email, "password", password));
  }

  @Test
  void signupRefusesWeakPasswordsAndSaysWhatToDo() {
    String email = "policy-" + UUID.randomUUID() + "@example.com";
    Answer common = signup(email, "Password123");
    Answer blank = signup(email, " ".repeat(14));
    Answer shortOne = signup(email, "kiln-2026");

    assertThat(common.status()).isEqualTo(422);
    assertThat(common.contentType()).startsWith("application/problem+json");
    assertThat(common.text("detail")).contains("most common passwords").contains("choose another");
    assertThat(blank.status()).isEqualTo(422);
    assertThat(blank.text("detail")).contains("white space");
    assertThat(shortOne.status()).isEqualTo(422);
    assertThat(shortOne.text("detail")).contains("at least 10 characters");
    assertThat(signup(email, "copper kettle under moonlight").status()).isEqualTo(201);
  }

  @Test
  void aPasswordChangeRefusesCommonPasswordsAndKeepsTheOldOne() {
    String email = "change-" + UUID.randomUUID() + "@example.com";
    String token = api.signup(email);

    Answer change =
        api.post(
            "/api/v1/account/password",
            token,
            Map.of("currentPassword", ApiHarness.PASSWORD, "newPassword", "qwertyuiop"));

    assertThat(change.status()).isEqualTo(422);
    assertThat(change.text("detail")).contains("'newPassword'").contains("most common");
    assertThat(api.get("/api/v1/whoami", token).status()).isEqualTo(200);
    assertThat(
            api.post(
                    "/api/v1/auth/login",
                    null,
                    Map.of("email", email, "password", ApiHarness.PASSWORD))
                .status())
        .isEqualTo(200);
  }
}
