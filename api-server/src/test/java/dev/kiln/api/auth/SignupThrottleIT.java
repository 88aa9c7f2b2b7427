package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
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

/** Sign-ups per client address are limited atomically; the client address comes from the ALB. */
@ExtendWith(KilnStackExtension.class)
class SignupThrottleIT {
  private static final int LIMIT = 3;
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("auth.signupsPerAddress", String.valueOf(LIMIT)),
            ConfigOverride.config("auth.signupWindow", "1 hour"),
            ConfigOverride.config("http.trustedProxies", "127.0.0.1/32"));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static Answer signupFrom(String address) {
    return api.call(
        "POST",
        "/api/v1/auth/signup",
        null,
        api.toJson(
            Map.of(
                "email",
                "signup-" + UUID.randomUUID() + "@example.com",
                "password",
                ApiHarness.PASSWORD)),
        Map.of("X-Forwarded-For", address));
  }

  @Test
  void aParallelBurstFromOneAddressGetsOnlyTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Answer>> signups = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        signups.add(() -> signupFrom("203.0.113.10"));
      }
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> answer : pool.invokeAll(signups)) {
        answers.add(answer.get());
      }

      assertThat(answers.stream().filter(a -> a.status() == 201).count()).isEqualTo(LIMIT);
      List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
      assertThat(refused).hasSize(10 - LIMIT);
      Answer one = refused.get(0);
      assertThat(one.contentType()).startsWith("application/problem+json");
      assertThat(Long.parseLong(one.header("Retry-After"))).isBetween(1L, 3600L);
      assertThat(one.text("detail")).contains("Too many accounts").contains("wait");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherAddressHasItsOwnAllowance() {
    for (int i = 0; i < LIMIT; i++) {
      assertThat(signupFrom("203.0.113.20").status()).isEqualTo(201);
    }
    assertThat(signupFrom("203.0.113.20").status()).isEqualTo(429);
    assertThat(signupFrom("203.0.113.21").status()).isEqualTo(201);
    assertThat(signupFrom("203.0.113.21, 203.0.113.20").status())
        .as("the rightmost address the proxy appended counts")
        .isEqualTo(429);
  }
}
