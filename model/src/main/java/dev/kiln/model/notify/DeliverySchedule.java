package dev.kiln.model.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed webhook delivery is tried again: {@code firstRetry} doubling per attempt up to
 * {@code longestWait}, each wait drawn between half and all of it (jitter, so receivers that come
 * back are not hit by every sender at once), until {@code giveUpAfter} has passed since the event;
 * a webhook that has only failed for {@code disableAfter} is disabled. Immutable.
 */
public record DeliverySchedule(
    Duration firstRetry, Duration longestWait, Duration giveUpAfter, Duration disableAfter) {
  /** Five seconds doubling to an hour, for a day; disabled after three days of failures. */
  public static DeliverySchedule defaults() {
    return new DeliverySchedule(
        Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(3));
  }

  /**
   * The time of the next attempt after {@code attempts} failed ones, or empty when the delivery
   * gives up; {@code random} is in {@code [0, 1)}.
   */
  public Optional<Instant> nextAttempt(
      Instant createdAt, int attempts, Instant now, double random) {
    long first = firstRetry.toMillis();
    int doublings = Math.min(Math.max(attempts - 1, 0), 30);
    long full = Math.min(longestWait.toMillis(), first * (1L << Math.min(doublings, 20)));
    long wait = full / 2 + (long) (random * (full - full / 2));
    Instant next = now.plusMillis(Math.max(1, wait));
    if (next.isAfter(createdAt.plus(giveUpAfter))) {
      return Optional.empty();
    }
    return Optional.of(next);
  }

  /** Whether a webhook failing since {@code failingSince} is to be disabled now. */
  public boolean disables(Instant failingSince, Instant now) {
    return failingSince != null && !now.isBefore(failingSince.plus(disableAfter));
  }
}
