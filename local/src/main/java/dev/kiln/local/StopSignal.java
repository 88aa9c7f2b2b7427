package dev.kiln.local;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop, which the main thread carries out in order,
 * instead of the JVM's default of running every shutdown hook at once. A second signal exits at
 * once (the shutdown hooks still stop the services). Thread-safe.
 */
final class StopSignal {
  private final CountDownLatch requested = new CountDownLatch(1);

  private StopSignal() {}

  /** Takes over SIGINT and SIGTERM (a signal this process was started ignoring stays ignored). */
  static StopSignal install() {
    StopSignal stop = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), signal -> stop.request());
    }
    return stop;
  }

  private void request() {
    if (requested.getCount() == 0) {
      System.exit(130);
    }
    requested.countDown();
  }

  /** Waits for a signal. */
  void await() throws InterruptedException {
    requested.await();
  }
}
