package dev.kiln.cli.release;

import java.time.Duration;

/** Waits between polls; tests pass one that only advances a clock. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps on the calling thread. */
  static Sleeper real() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
