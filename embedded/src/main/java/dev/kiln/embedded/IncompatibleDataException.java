package dev.kiln.embedded;

import java.nio.file.Path;

/**
 * A data directory that this build cannot use, because an older (or newer) build made it: another
 * PostgreSQL major version, or a schema whose migrations this build does not know.
 */
public final class IncompatibleDataException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final transient Path directory;
  private final String reason;

  /**
   * @param directory the directory that cannot be used
   * @param reason why, e.g. "it holds a PostgreSQL 17 cluster and this build runs PostgreSQL 15"
   */
  public IncompatibleDataException(Path directory, String reason) {
    super(directory + " cannot be used: " + reason);
    this.directory = directory;
    this.reason = reason;
  }

  /** As above, with the error that showed it. */
  public IncompatibleDataException(Path directory, String reason, Throwable cause) {
    super(directory + " cannot be used: " + reason, cause);
    this.directory = directory;
    this.reason = reason;
  }

  /** The directory that cannot be used. */
  public Path directory() {
    return directory;
  }

  /** Why the directory cannot be used. */
  public String reason() {
    return reason;
  }
}
