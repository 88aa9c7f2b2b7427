package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Password checks are counted before they run, so bursts and confirmations get no extra guesses.
 */
@ExtendWith(KilnStackExtension.class)
class PasswordThrottleIT {
  private static final int FREE = 3;
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("auth.freeLoginFailures", String.valueOf(FREE)),
            // The first wait outlasts any request here, however loaded the machine: every check
            // beyond the free ones must be refused, whatever the time between them.
            ConfigOverride.config("auth.firstLoginBackoff", "1 minute"),
            ConfigOverride.config("auth.maxLoginBackoff", "5 minutes"));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aParallelBurstOfLoginsGetsNoMoreChecksThanASequence() throws Exception {
    String email = "burst-" + UUID.randomUUID() + "@example.com";
    api.signup(email);
    Map<String, String> wrong = Map.of("email", email, "password", "wrong password " + email);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Callable<Integer>> logins = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        logins.add(() -> api.post("/api/v1/auth/login", null, wrong).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> status : pool.invokeAll(logins)) {
        statuses.add(status.get());
      }

      assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(FREE);
      assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(20 - FREE);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void passwordConfirmationsAreThrottledLikeLogins() {
    String token = api.newUser();
    List<Integer> guesses = new ArrayList<>();
    for (int i = 0; i < FREE + 2; i++) {
      guesses.add(
          api.post(
                  "/api/v1/account/password",
                  token,
                  Map.of("currentPassword", "guess number " + i, "newPassword", "x".repeat(20) + i))
              .status());
    }
    int deleteGuess =
        api.post("/api/v1/account/delete", token, Map.of("password", "another guess")).status();
    int rightPassword =
        api.post(
                "/api/v1/account/password",
                token,
                Map.of(
                    "currentPassword",
                    ApiHarness.PASSWORD,
                    "newPassword",
                    "a brand new passphrase"))
            .status();

    assertThat(guesses.subList(0, FREE)).containsOnly(403);
    assertThat(guesses.subList(FREE, FREE + 2)).containsOnly(429);
    assertThat(deleteGuess).isEqualTo(429);
    assertThat(rightPassword).isEqualTo(429);
  }
}
