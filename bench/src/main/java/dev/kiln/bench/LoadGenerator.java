package dev.kiln.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A small HTTP load generator: a closed loop (N users back to back, for the highest throughput) and
 * an open loop (a fixed arrival rate, latency measured from each request's scheduled start, so a
 * slow server cannot hide its queueing). Not thread-safe; one run at a time.
 */
final class LoadGenerator {
  private final HttpClient http;

  LoadGenerator() {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** What one run measured. */
  record Result(long requests, long failures, double seconds, long[] latenciesMicros) {
    double throughput() {
      return requests / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesMicros.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
      return latenciesMicros[Math.max(0, Math.min(index, latenciesMicros.length - 1))] / 1000.0;
    }
  }

  /** {@code users} callers, each sending its next request when the previous answered. */
  Result closedLoop(Supplier<HttpRequest> request, int expectedStatus, int users, Duration length)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(users);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + length.toNanos();
    long start = System.nanoTime();
    for (int i = 0; i < users; i++) {
      pool.submit(
          () -> {
            while (System.nanoTime() < end) {
              try {
                HttpResponse<byte[]> response =
                    http.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != expectedStatus) {
                  failed.incrementAndGet();
                }
              } catch (Exception e) {
                failed.incrementAndGet();
              }
              done.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(length.toSeconds() + 30, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(done.get(), failed.get(), seconds, new long[0]);
  }

  /** Requests at a fixed rate for {@code length}; latency counts from the scheduled start. */
  Result openLoop(Supplier<HttpRequest> request, int expectedStatus, int perSecond, Duration length)
      throws InterruptedException {
    int total = (int) (perSecond * length.toSeconds());
    long interval = 1_000_000_000L / perSecond;
    long[] latencies = new long[total];
    AtomicLong failed = new AtomicLong();
    CompletableFuture<?>[] futures = new CompletableFuture<?>[total];
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int index = i;
      futures[i] =
          http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofByteArray())
              .handle(
                  (response, error) -> {
                    latencies[index] = (System.nanoTime() - scheduled) / 1_000;
                    if (error != null || response.statusCode() != expectedStatus) {
                      failed.incrementAndGet();
                    }
                    return null;
                  });
    }
    CompletableFuture.allOf(futures).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return new Result(total, failed.get(), seconds, latencies);
  }
}
