package dev.kiln.model.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryScheduleTest {
  private final DeliverySchedule schedule = DeliverySchedule.defaults();
  private final Instant created = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void waitsDoubleWithJitterBetweenHalfAndAll() {
    assertThat(wait(1, 0.0)).isEqualTo(Duration.ofMillis(2500));
    assertThat(wait(1, 0.999)).isBetween(Duration.ofMillis(4990), Duration.ofSeconds(5));
    assertThat(wait(2, 0.0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(wait(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(wait(4, 0.999)).isBetween(Duration.ofSeconds(39), Duration.ofSeconds(40));
  }

  @Test
  void waitsAtMostAnHour() {
    assertThat(wait(25, 0.999)).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
  }

  @Test
  void givesUpOnceADayHasPassed() {
    Instant late = created.plus(Duration.ofHours(23).plusMinutes(59).plusSeconds(58));

    assertThat(schedule.nextAttempt(created, 20, late, 0.0)).isEmpty();
    assertThat(schedule.nextAttempt(created, 20, created.plus(Duration.ofHours(22)), 0.0))
        .isPresent();
  }

  @Test
  void disablesAfterThreeDaysOfFailures() {
    assertThat(schedule.disables(null, created)).isFalse();
    assertThat(schedule.disables(created, created.plus(Duration.ofDays(3).minusSeconds(1))))
        .isFalse();
    assertThat(schedule.disables(created, created.plus(Duration.ofDays(3)))).isTrue();
  }

  private Duration wait(int attempts, double random) {
    Optional<Instant> next = schedule.nextAttempt(created, attempts, created, random);
    return Duration.between(created, next.orElseThrow());
  }
}
