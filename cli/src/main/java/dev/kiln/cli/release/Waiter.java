package dev.kiln.cli.release;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline on the injected clock passes. */
public final class Waiter {

  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration interval;

  public Waiter(Clock clock, Sleeper sleeper, Duration interval) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.interval = interval;
  }

  /** True as soon as {@code done} holds; false if it still does not after {@code timeout}. */
  public boolean until(Duration timeout, BooleanSupplier done) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      if (done.getAsBoolean()) {
        return true;
      }
      if (!clock.instant().isBefore(deadline)) {
        return false;
      }
      sleeper.sleep(interval);
    }
  }

  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isZero() && !duration.isNegative()) {
      sleeper.sleep(duration);
    }
  }

  public Clock clock() {
    return clock;
  }
}
