package dev.kiln.protocol.queue;

import java.time.Instant;

/** A shard leased to an agent until {@code deadline} (extended by heartbeats). */
public record Lease(ShardTask task, int attempt, String agentId, Instant deadline) {
  public ShardRef ref() {
    return task.ref(attempt);
  }
}
