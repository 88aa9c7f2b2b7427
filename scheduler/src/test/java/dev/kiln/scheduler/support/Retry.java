package dev.kiln.scheduler.support;

import java.util.function.Supplier;

/** Retries a call to S3Proxy, which now and then closes a pooled connection under load. */
public final class Retry {
  private Retry() {}

  public static <T> T s3(Supplier<T> call) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        last = e;
        try {
          Thread.sleep(20L << attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  public static void s3(Runnable call) {
    s3(
        () -> {
          call.run();
          return null;
        });
  }
}
