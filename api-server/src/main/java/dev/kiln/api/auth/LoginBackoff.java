package dev.kiln.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The login backoff policy: the first {@code freeFailures} failures cost nothing; after that each
 * attempt must wait {@code firstWait * 2^(failures - freeFailures)} after the last failure, capped
 * at {@code maxWait}. Failures are forgotten after a quiet window, so nobody is locked out for
 * good. Immutable.
 */
public record LoginBackoff(
    int freeFailures, Duration firstWait, Duration maxWait, Duration window) {

  /** How much longer a caller with this failure record must wait; empty when it may try now. */
  public Optional<Duration> waitBefore(long failures, Instant lastFailure, Instant now) {
    if (failures < freeFailures || lastFailure == null) {
      return Optional.empty();
    }
    Duration wait = waitAfter(failures - freeFailures);
    Instant allowedAt = lastFailure.plus(wait);
    return now.isBefore(allowedAt)
        ? Optional.of(Duration.between(now, allowedAt))
        : Optional.empty();
  }

  /**
   * The wait after {@code extra} failures beyond the free ones: doubling from firstWait, capped.
   */
  private Duration waitAfter(long extra) {
    long millis = firstWait.toMillis();
    for (long i = 0; i < extra && millis < maxWait.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxWait.toMillis()));
  }
}
