package dev.kiln.scheduler.leader;

import dev.kiln.dropwizard.Outages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;

/**
 * How a loop waits and reports while its work keeps failing (Postgres or Redis away): the wait
 * doubles from {@link #FIRST} up to {@link #LONGEST} (or a shorter cap), each with +-20 % jitter so
 * several loops do not retry in step, and the log says so once per change: "{name} failing:
 * {message}" with the stack trace at the first failure (one line, without it, when PostgreSQL or
 * Redis is unreachable: an outage, not a bug), "{name} recovered after N failures in {duration}" at
 * the first success after them; failures in between are logged at debug level only. Used by one
 * thread.
 */
public final class FailureBackoff {
  /** The wait after the first failure. */
  public static final Duration FIRST = Duration.ofMillis(500);

  /** The longest wait. */
  public static final Duration LONGEST = Duration.ofSeconds(30);

  private static final double JITTER = 0.2;

  private final Duration longest;
  private final String name;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Logger log;
  private int failures;
  private Instant since;

  /**
   * @param random uniform in {@code [0, 1)}, for the jitter
   */
  public FailureBackoff(String name, Clock clock, DoubleSupplier random, Logger log) {
    this(name, clock, random, log, LONGEST);
  }

  /** As above, waiting at most {@code longest} (for loops that must not wait long). */
  public FailureBackoff(
      String name, Clock clock, DoubleSupplier random, Logger log, Duration longest) {
    this.longest = longest;
    this.name = name;
    this.clock = clock;
    this.random = random;
    this.log = log;
  }

  /** Records a failure; answers how long to wait before trying again. */
  public Duration failed(Throwable failure) {
    failures++;
    if (failures == 1) {
      since = clock.instant();
      Optional<String> away = Outages.unavailable(failure);
      if (away.isPresent()) {
        // An outage, not a bug: one line, without the stack trace every loop would repeat.
        log.error("{} failing: {} is unreachable ({})", name, away.get(), message(failure));
      } else {
        log.error("{} failing: {}", name, message(failure), failure);
      }
    } else {
      log.debug("{} still failing ({} in a row): {}", name, failures, message(failure));
    }
    return delay(failures);
  }

  /** Records a success; logs the recovery when failures came before it. */
  public void succeeded() {
    if (failures > 0) {
      log.warn(
          "{} recovered after {} failures in {}",
          name,
          failures,
          Duration.between(since, clock.instant()));
      failures = 0;
      since = null;
    }
  }

  /** Failures in a row so far. */
  public int failures() {
    return failures;
  }

  /** The wait after the {@code n}th failure in a row, jitter included. */
  Duration delay(int n) {
    long base = FIRST.toMillis() << Math.min(n - 1, 16);
    long capped = Math.min(longest.toMillis(), base);
    double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.round(capped * factor));
  }

  private static String message(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
