package dev.kiln.agent;

import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A small in-process implementation of the {@link WorkQueue} contract for agent tests: FIFO, no
 * fair share, no backoff; attempts fence completions as in the real queue. Thread-safe.
 */
final class TestWorkQueue implements WorkQueue {
  record Failure(ShardRef ref, String error, boolean retryable) {}

  private final Clock clock;
  private final Deque<ShardTask> queued = new ArrayDeque<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, ShardRef> current = new HashMap<>();
  private final Set<UUID> cancelled = new HashSet<>();
  final Map<String, ShardResult> completed = new HashMap<>();
  final List<Failure> failures = new ArrayList<>();
  final List<ShardRef> released = new ArrayList<>();
  final List<Set<ShardRef>> heartbeats = new ArrayList<>();

  TestWorkQueue(Clock clock) {
    this.clock = clock;
  }

  static String key(UUID job, int idx) {
    return job + "/" + idx;
  }

  synchronized void enqueue(Collection<ShardTask> tasks) {
    queued.addAll(tasks);
  }

  synchronized void cancel(UUID jobId) {
    cancelled.add(jobId);
    queued.removeIf(t -> t.jobId().equals(jobId));
  }

  synchronized Map<String, ShardResult> completed() {
    return Map.copyOf(completed);
  }

  synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  synchronized List<ShardRef> released() {
    return List.copyOf(released);
  }

  synchronized int queuedCount() {
    return queued.size();
  }

  @Override
  public synchronized List<Lease> lease(
      String agentId, Set<String> processors, int max, Duration visibility) {
    List<Lease> leases = new ArrayList<>();
    var it = queued.iterator();
    while (it.hasNext() && leases.size() < max) {
      ShardTask task = it.next();
      if (!processors.contains(task.processor())) {
        continue;
      }
      it.remove();
      String key = key(task.jobId(), task.idx());
      int attempt = attempts.merge(key, 1, Integer::sum);
      Lease lease = new Lease(task, attempt, agentId, clock.instant().plus(visibility));
      current.put(key, lease.ref());
      leases.add(lease);
    }
    return leases;
  }

  @Override
  public synchronized Set<ShardRef> heartbeat(
      String agentId, Collection<ShardRef> leases, Duration visibility) {
    heartbeats.add(Set.copyOf(leases));
    Set<ShardRef> stop = new HashSet<>();
    for (ShardRef ref : leases) {
      if (!ref.equals(current.get(key(ref.jobId(), ref.idx())))
          || cancelled.contains(ref.jobId())) {
        stop.add(ref);
      }
    }
    return stop;
  }

  private boolean owns(ShardRef ref) {
    return ref.equals(current.get(key(ref.jobId(), ref.idx())));
  }

  @Override
  public synchronized boolean complete(ShardRef lease, ShardResult result) {
    if (!owns(lease)) {
      return false;
    }
    current.remove(key(lease.jobId(), lease.idx()));
    completed.put(key(lease.jobId(), lease.idx()), result);
    return true;
  }

  @Override
  public synchronized boolean fail(ShardRef lease, String error, boolean retryable) {
    if (!owns(lease)) {
      return false;
    }
    current.remove(key(lease.jobId(), lease.idx()));
    failures.add(new Failure(lease, error, retryable));
    return true;
  }

  @Override
  public synchronized boolean release(ShardRef lease) {
    if (!owns(lease)) {
      return false;
    }
    current.remove(key(lease.jobId(), lease.idx()));
    released.add(lease);
    return true;
  }
}
