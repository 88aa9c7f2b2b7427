package dev.kiln.embedded;

/** A server process that {@link ServiceSupervisor} starts again when it dies. */
interface Supervised {

  /** What to call it in a log line, e.g. {@code PostgreSQL}. */
  String name();

  /** Whether the server's process is alive (or it was closed: then there is nothing to do). */
  boolean isRunning();

  /**
   * Starts the server again, on the same port and data directory, after its process died; does
   * nothing once the service is closed. Answers a few words on what was started, for the log.
   */
  String restart();
}
