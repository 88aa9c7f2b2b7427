package dev.kiln.simulator;

/**
 * One job submission of a demand trace.
 *
 * @param atSeconds when it is submitted, in seconds from the trace's start
 * @param owner the account that submits it (fair share is per owner)
 * @param bytes the size of its input
 * @param processor the processor it asks for
 */
public record Submission(double atSeconds, String owner, long bytes, String processor) {
  public Submission {
    if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
      throw new IllegalArgumentException("a submission's time must be a finite number >= 0");
    }
    if (owner == null || owner.isBlank() || processor == null || processor.isBlank()) {
      throw new IllegalArgumentException("a submission needs an owner and a processor");
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("a submission's size must be 0 bytes or more");
    }
  }
}
