package dev.kiln.protocol.queue;

import java.util.UUID;

/** One shard of a job, whatever its attempt. */
public record ShardId(UUID jobId, int idx) {
  static ShardId parse(String id) {
    int colon = id.lastIndexOf(':');
    return new ShardId(
        UUID.fromString(id.substring(0, colon)), Integer.parseInt(id.substring(colon + 1)));
  }

  /** The shard's id in the queue's keys. */
  String queueId() {
    return RedisWorkQueue.id(jobId, idx);
  }
}
