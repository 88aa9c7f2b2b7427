package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginBackoffTest {
  private final LoginBackoff policy =
      new LoginBackoff(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
  private final Instant last = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theFirstFailuresCostNothing() {
    assertThat(policy.waitBefore(4, last, last)).isEmpty();
  }

  @Test
  void laterFailuresWaitTwiceAsLongEachTime() {
    assertThat(policy.waitBefore(5, last, last)).contains(Duration.ofSeconds(1));
    assertThat(policy.waitBefore(6, last, last)).contains(Duration.ofSeconds(2));
    assertThat(policy.waitBefore(9, last, last)).contains(Duration.ofSeconds(16));
  }

  @Test
  void theFirstWaitSetsTheScale() {
    LoginBackoff slow =
        new LoginBackoff(5, Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15));
    assertThat(slow.waitBefore(5, last, last)).contains(Duration.ofMinutes(1));
    assertThat(slow.waitBefore(6, last, last)).contains(Duration.ofMinutes(2));
    assertThat(slow.waitBefore(8, last, last)).contains(Duration.ofMinutes(5));
  }

  @Test
  void theWaitIsCappedSoNobodyIsLockedOutForGood() {
    assertThat(policy.waitBefore(1_000, last, last)).contains(Duration.ofMinutes(5));
    assertThat(policy.waitBefore(1_000, last, last.plus(Duration.ofMinutes(5)))).isEmpty();
  }

  @Test
  void theWaitShrinksAsTimePasses() {
    assertThat(policy.waitBefore(9, last, last.plusSeconds(10))).contains(Duration.ofSeconds(6));
  }
}
