package dev.kiln.cli.files;

/**
 * Paces bytes to at most {@code bytesPerSecond} over all the threads that share it (curl's {@code
 * --limit-rate}). Thread-safe.
 */
final class RateLimit {
  private final long bytesPerSecond;
  private final long startNanos = System.nanoTime();
  private long granted;

  RateLimit(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Waits until {@code bytes} more may pass. */
  void acquire(int bytes) throws InterruptedException {
    long due;
    synchronized (this) {
      granted += bytes;
      due = startNanos + (long) (granted * 1e9 / bytesPerSecond);
    }
    long wait = due - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }
}
