package dev.kiln.cli.common;

/**
 * The exit codes of the user and operator commands, as {@code cli/README.md} lists them. {@code
 * kiln release} keeps its own (0 to 4, see its README section).
 */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;

  /** Anything not listed below: the API refused the request, a local file is unreadable, ... */
  public static final int GENERAL = 1;

  /** The command line was wrong: an unknown option, a missing argument, a bad value. */
  public static final int USAGE = 2;

  /** The job, file, key or account does not exist (or is not yours). */
  public static final int NOT_FOUND = 3;

  /** Not logged in, a wrong password, a revoked key, or not an admin. */
  public static final int AUTH = 4;

  /** The job ended FAILED ({@code kiln watch}, {@code kiln run --watch}). */
  public static final int JOB_FAILED = 5;

  /** The job ended CANCELLED. */
  public static final int JOB_CANCELLED = 6;

  /** The API or S3 could not be reached, or the connection dropped. */
  public static final int NETWORK = 7;
}
