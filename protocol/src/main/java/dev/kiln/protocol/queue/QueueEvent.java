package dev.kiln.protocol.queue;

import java.util.UUID;

/**
 * A finished attempt waiting in the Redis stream for the completion sink: a completion ({@code
 * result} set) or a dead letter ({@code error} set).
 *
 * @param streamId the entry's id in the stream, for {@link RedisWorkQueue#acknowledge}
 */
public record QueueEvent(
    String streamId, UUID jobId, int idx, int attempt, ShardResult result, String error) {
  public boolean isCompletion() {
    return result != null;
  }

  public ShardRef ref() {
    return new ShardRef(jobId, idx, attempt);
  }
}
