package dev.kiln.protocol.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent-facing side of the work-queue protocol. Every call is one atomic Lua script in Redis.
 * Losing a race (an expired or superseded lease) answers {@code false} or leaves the shard out of
 * the answer; it never throws. Implementations are thread-safe.
 */
public interface WorkQueue {
  /**
   * Leases up to {@code max} shards for the given processors, by priority within an owner and fair
   * share between owners; each lease gets a new attempt number and a deadline of now + {@code
   * visibility}.
   */
  List<Lease> lease(String agentId, Set<String> processors, int max, Duration visibility);

  /**
   * Waits, without a thread, for work for one of {@code processors}: completes with true when the
   * queue signals that shards may have become ready (or a capped slot freed), false once {@code
   * longest} has passed without one. An idle agent waits here instead of asking again every few
   * milliseconds. The default has no signal: it completes false after {@code longest}.
   */
  default CompletableFuture<Boolean> awaitWork(Set<String> processors, Duration longest) {
    return CompletableFuture.supplyAsync(
        () -> false, CompletableFuture.delayedExecutor(longest.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Gives back, without waiting, a wake-up {@link #awaitWork} delivered to an agent that can take
   * no work now (full or draining), so that another waiting agent gets it. The default does
   * nothing.
   */
  default void passOnWakeUp(Set<String> processors) {}

  /**
   * Extends the deadlines of the agent's current leases; returns the ones the agent must stop
   * (cancelled, or no longer its lease).
   */
  Set<ShardRef> heartbeat(String agentId, Collection<ShardRef> leases, Duration visibility);

  /** Records a finished shard; false when the lease is no longer current (late completion). */
  boolean complete(ShardRef lease, ShardResult result);

  /**
   * Records a failed attempt: retryable failures go back to the queue with backoff until the
   * attempts run out, the rest are dead-lettered with {@code error}.
   */
  boolean fail(ShardRef lease, String error, boolean retryable);

  /** Gives a shard back without spending an attempt (drain). */
  boolean release(ShardRef lease);

  /**
   * Records several finished shards in one call; answers, in order, whether each was accepted. The
   * default records them one at a time.
   */
  default List<Boolean> completeAll(List<Completion> completions) {
    List<Boolean> accepted = new ArrayList<>(completions.size());
    for (Completion completion : completions) {
      accepted.add(complete(completion.lease(), completion.result()));
    }
    return accepted;
  }
}
