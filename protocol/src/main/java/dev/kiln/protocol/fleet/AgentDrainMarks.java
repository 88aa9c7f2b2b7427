package dev.kiln.protocol.fleet;

import dev.kiln.protocol.RedisKeys;
import java.time.Duration;
import java.util.Optional;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Operators' requests that an agent drain: a string {@code kiln:drain:{agentId}} holding the
 * reason, set by the API and read by the agent before each lease; it expires on its own after
 * {@link #TTL}, long after the agent has gone. Thread-safe.
 */
public final class AgentDrainMarks {
  /** How long a mark lives. */
  public static final Duration TTL = Duration.ofDays(7);

  private final RedissonClient redisson;

  public AgentDrainMarks(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /** Asks {@code agentId} to drain for {@code reason}. */
  public void mark(String agentId, String reason) {
    bucket(agentId).set(reason, TTL);
  }

  /** Why {@code agentId} was asked to drain; empty when it was not. */
  public Optional<String> reason(String agentId) {
    return Optional.ofNullable(bucket(agentId).get());
  }

  private RBucket<String> bucket(String agentId) {
    return redisson.getBucket(RedisKeys.agentDrain(agentId), StringCodec.INSTANCE);
  }
}
