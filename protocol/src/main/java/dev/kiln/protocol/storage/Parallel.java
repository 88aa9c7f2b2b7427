package dev.kiln.protocol.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs independent object-store calls side by side, keeping their order. Stateless. */
public final class Parallel {
  private Parallel() {}

  public static <T, R> List<R> map(ExecutorService executor, List<T> items, Function<T, R> call) {
    if (items.size() < 2) {
      return items.stream().map(call).toList();
    }
    List<Future<R>> futures = new ArrayList<>(items.size());
    for (T item : items) {
      futures.add(executor.submit(() -> call.apply(item)));
    }
    List<R> results = new ArrayList<>(items.size());
    try {
      for (Future<R> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    return results;
  }
}
