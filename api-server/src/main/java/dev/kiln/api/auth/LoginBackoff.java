package dev.kiln.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The login backoff policy: the first {@code freeFailures} failures cost nothing; after that each
 * attempt must wait {@code 2^(failures - freeFailures)} seconds after the last failure, capped at
 * {@code maxWait}. Failures are forgotten after a quiet window, so nobody is locked out for good.
 * Immutable.
 */
public record LoginBackoff(int freeFailures, Duration maxWait, Duration window) {

  /** How much longer a caller with this failure record must wait; empty when it may try now. */
  public Optional<Duration> waitBefore(long failures, Instant lastFailure, Instant now) {
    if (failures < freeFailures || lastFailure == null) {
      return Optional.empty();
    }
    long exponent = Math.min(failures - freeFailures, 30);
    Duration wait = Duration.ofSeconds(1L << exponent);
    if (wait.compareTo(maxWait) > 0) {
      wait = maxWait;
    }
    Instant allowedAt = lastFailure.plus(wait);
    return now.isBefore(allowedAt)
        ? Optional.of(Duration.between(now, allowedAt))
        : Optional.empty();
  }
}
