package dev.kiln.protocol.queue;

import dev.kiln.protocol.RedisKeys;
import java.time.Duration;

/**
 * Tunables of the Redis work queue.
 *
 * @param prefix key prefix of every queue key
 * @param backoffBase delay before the first retry; each further attempt doubles it
 * @param backoffCap longest retry delay
 * @param reapBatch most leases (and delayed shards) one reap call handles
 */
public record QueueSettings(
    String prefix, Duration backoffBase, Duration backoffCap, int reapBatch) {
  public static QueueSettings defaults() {
    return new QueueSettings(
        RedisKeys.QUEUE_PREFIX, Duration.ofMillis(500), Duration.ofMinutes(2), 5_000);
  }

  public QueueSettings withPrefix(String newPrefix) {
    return new QueueSettings(newPrefix, backoffBase, backoffCap, reapBatch);
  }

  public QueueSettings withBackoff(Duration base, Duration cap) {
    return new QueueSettings(prefix, base, cap, reapBatch);
  }
}
