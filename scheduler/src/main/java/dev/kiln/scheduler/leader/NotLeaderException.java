package dev.kiln.scheduler.leader;

/** A leader-only transaction found that another scheduler holds a newer fencing token. */
public final class NotLeaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotLeaderException(long mine, long current) {
    super("fencing token " + mine + " is superseded by " + current);
  }
}
