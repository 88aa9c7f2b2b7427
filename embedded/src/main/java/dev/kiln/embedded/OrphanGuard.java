package dev.kiln.embedded;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a server process if this JVM dies without running its shutdown hooks (SIGKILL, crash).
 *
 * <p>A small {@code sh} watchdog polls the JVM once a second; when the JVM is gone it signals the
 * server. The watchdog ignores SIGINT, SIGHUP and SIGTERM, so a Ctrl-C in the terminal leaves it to
 * do its work after the JVM is gone. {@link #close()} kills the watchdog. Thread-safe.
 */
final class OrphanGuard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanGuard.class);

  private final Process watchdog;

  private OrphanGuard(Process watchdog) {
    this.watchdog = watchdog;
  }

  /**
   * Watches this JVM; when it is gone, sends {@code signal} (e.g. {@code INT}) to {@code pid}.
   * Returns a guard that does nothing where {@code /bin/sh} is missing.
   */
  static OrphanGuard signalWhenJvmDies(long pid, String signal, String what) {
    if (!new File("/bin/sh").canExecute()) {
      return new OrphanGuard(null);
    }
    long jvm = ProcessHandle.current().pid();
    String script =
        "trap '' INT HUP TERM; while kill -0 "
            + jvm
            + " 2>/dev/null; do sleep 1; done; kill -"
            + signal
            + " "
            + pid
            + " 2>/dev/null";
    try {
      Process process =
          new ProcessBuilder("/bin/sh", "-c", script)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      process.getOutputStream().close();
      LOG.debug("Watchdog {} stops {} (pid {}) if JVM {} dies", process.pid(), what, pid, jvm);
      return new OrphanGuard(process);
    } catch (IOException e) {
      LOG.warn(
          "Could not start a watchdog for {} (pid {}); it may outlive a killed JVM", what, pid);
      return new OrphanGuard(null);
    }
  }

  @Override
  public void close() {
    if (watchdog == null) {
      return;
    }
    watchdog.destroyForcibly();
    try {
      watchdog.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
