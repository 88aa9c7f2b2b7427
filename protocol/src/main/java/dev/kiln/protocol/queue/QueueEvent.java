package dev.kiln.protocol.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * A finished attempt waiting in the Redis stream for the completion sink: a completion ({@code
 * result} set) or a dead letter ({@code error} set).
 *
 * @param streamId the entry's id in the stream, for {@link RedisWorkQueue#acknowledge}
 * @param attemptsSpent of a dead letter, the attempts the shard spent; null when not known
 */
public record QueueEvent(
    String streamId,
    UUID jobId,
    int idx,
    int attempt,
    ShardResult result,
    String error,
    Integer attemptsSpent) {
  public QueueEvent(
      String streamId, UUID jobId, int idx, int attempt, ShardResult result, String error) {
    this(streamId, jobId, idx, attempt, result, error, null);
  }

  public boolean isCompletion() {
    return result != null;
  }

  /**
   * When Redis appended the entry: the milliseconds part of its stream id ({@code <ms>-<seq>}), so
   * when the agent reported the attempt.
   */
  public Instant appendedAt() {
    int dash = streamId.indexOf('-');
    return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash)));
  }

  public ShardRef ref() {
    return new ShardRef(jobId, idx, attempt);
  }
}
