package dev.kiln.dropwizard;

import io.dropwizard.lifecycle.Managed;

/** Small adapters onto Dropwizard's lifecycle. Stateless. */
public final class Lifecycles {
  private Lifecycles() {}

  /**
   * A managed object that runs {@code start} when the server starts and {@code stop} when it stops.
   */
  public static Managed managed(Runnable start, Runnable stop) {
    return new Managed() {
      @Override
      public void start() {
        start.run();
      }

      @Override
      public void stop() {
        stop.run();
      }
    };
  }
}
