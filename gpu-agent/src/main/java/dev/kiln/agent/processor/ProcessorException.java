package dev.kiln.agent.processor;

/**
 * A shard cannot be processed. Retryable failures (a download that broke off) go back to the queue;
 * the rest (a model whose signature does not match the input, a corrupt model zip) fail the job at
 * once, with this message shown to its owner.
 */
public final class ProcessorException extends Exception {
  private final boolean retryable;

  public ProcessorException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public ProcessorException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure that another attempt cannot fix. */
  public static ProcessorException fatal(String message) {
    return new ProcessorException(message, false);
  }

  public boolean retryable() {
    return retryable;
  }
}
