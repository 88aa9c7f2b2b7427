package dev.kiln.model.release;

/** How a release step ended. */
public enum Outcome {
  /** Done as asked. */
  SUCCEEDED,
  /** Stopped before users saw anything (for example unhealthy targets before the flip). */
  ABORTED,
  /** Done, then flipped back by a rollback inside the rollback window. */
  ROLLED_BACK,
  /** Not finished in time; what is left is in the reason. */
  TIMED_OUT,
  /** An error stopped it; the reason says which. */
  FAILED
}
