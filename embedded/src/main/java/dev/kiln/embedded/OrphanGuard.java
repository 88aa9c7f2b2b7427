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
   * Watches this JVM; when it is gone, sends {@code signal} (e.g. {@code INT}) to {@code pid},
   * provided that its command line still contains {@code program} (so a reused pid is spared).
   * Returns a guard that does nothing where {@code /bin/sh} is missing.
   */
  static OrphanGuard signalWhenJvmDies(long pid, String signal, String program) {
    if (pid <= 1) {
      throw new IllegalArgumentException("refusing to guard pid " + pid);
    }
    if (!signal.matches("[A-Z0-9]+")) {
      throw new IllegalArgumentException("not a signal name: " + signal);
    }
    if (!program.matches("[a-z-]+")) {
      throw new IllegalArgumentException("not a program name: " + program);
    }
    if (!new File("/bin/sh").canExecute()) {
      return none();
    }
    long jvm = ProcessHandle.current().pid();
    String script =
        "trap '' INT HUP TERM; while kill -0 "
            + jvm
            + " 2>/dev/null; do sleep 1; done; if tr '\\0' ' ' < /proc/"
            + pid
            + "/cmdline 2>/dev/null | grep -q -- "
            + program
            + "; then kill -"
            + signal
            + " "
            + pid
            + " 2>/dev/null; fi";
    try {
      Process process =
          new ProcessBuilder("/bin/sh", "-c", script)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      process.getOutputStream().close();
      LOG.debug("Watchdog {} stops {} (pid {}) if JVM {} dies", process.pid(), program, pid, jvm);
      return new OrphanGuard(process);
    } catch (IOException e) {
      LOG.warn(
          "Could not start a watchdog for {} (pid {}); it may outlive a killed JVM", program, pid);
      return new OrphanGuard(null);
    }
  }

  /** A guard that watches nothing. */
  static OrphanGuard none() {
    return new OrphanGuard(null);
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
