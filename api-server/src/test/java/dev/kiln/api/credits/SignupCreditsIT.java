package dev.kiln.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.Fixtures;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credits granted at sign-up: a newcomer's first job runs without buying any. */
@ExtendWith(KilnStackExtension.class)
class SignupCreditsIT {
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("credits.required", "true"),
            ConfigOverride.config("credits.secondsPerShard", "3600"),
            ConfigOverride.config("credits.signupCreditsUsd", "1.25"));
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aNewAccountHoldsTheSignupCreditsOnceAndTheyPayForItsFirstJob() {
    String user = api.newUser();
    assertThat(api.get("/api/v1/credits", user).body().get("availableUsd").decimalValue())
        .isEqualByComparingTo("1.25");
    assertThat(api.get("/api/v1/credits", user).body().get("canBuy").asBoolean())
        .as("no payment provider is configured here")
        .isFalse();
    assertThat(api.get("/api/v1/credits/statement", user).body().get("lines")).hasSize(1);

    ApiHarness.Answer first =
        api.post(
            "/api/v1/jobs",
            user,
            Map.of("processor", "parse", "inputs", List.of(fixtures.readyFile(user))));
    assertThat(first.status()).isEqualTo(202);
    assertThat(api.get("/api/v1/credits", user).body().get("availableUsd").decimalValue())
        .isEqualByComparingTo("0.724");
  }

  @Test
  void aRefusedSignupGrantsNothing() throws Exception {
    String email = "twice-" + UUID.randomUUID() + "@example.com";
    api.signup(email);
    long grants = signupGrants();

    ApiHarness.Answer again =
        api.post(
            "/api/v1/auth/signup", null, Map.of("email", email, "password", ApiHarness.PASSWORD));

    assertThat(again.status()).isEqualTo(409);
    assertThat(signupGrants()).isEqualTo(grants);
  }

  private static long signupGrants() throws Exception {
    try (Connection connection = api.stack().dataSource().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "select count(*) from ledger_transactions where reference like 'signup:%'")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
