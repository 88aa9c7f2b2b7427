package dev.kiln.api.service;

import dev.kiln.api.errors.ApiException;
import dev.kiln.protocol.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Counts each account's open event streams across every API process: a Redis sorted set per account
 * of stream ids scored by when they lapse. A stream refreshes its entry while it runs and removes
 * it when it ends; the entry of a stream whose process died lapses by itself. Taking a slot is one
 * Lua script, so a burst cannot open more than the limit. Thread-safe.
 */
public final class EventStreamSlots {
  private static final String PREFIX = RedisKeys.EVENT_STREAMS_PREFIX;

  /** How long an entry lasts without a refresh. */
  static final Duration LAPSE = Duration.ofSeconds(30);

  /**
   * KEYS: the account's set. ARGV: now ms, lapse ms, the limit, the stream id. Drops lapsed
   * entries; answers -1 and adds the stream when under the limit, else how many are open.
   */
  private static final String ACQUIRE =
      """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      local open = redis.call('ZCARD', KEYS[1])
      if open >= tonumber(ARGV[3]) then return open end
      redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return -1
      """;

  private static final String REFRESH =
      """
      redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 0
      """;

  private final RedissonClient redis;
  private final int limit;
  private final Clock clock;

  public EventStreamSlots(RedissonClient redis, int limit, Clock clock) {
    this.redis = redis;
    this.limit = limit;
    this.clock = clock;
  }

  /** An open stream's place in its account's count. */
  public record Slot(UUID accountId, String streamId) {}

  /** Takes a slot for a new stream of the account, or throws 429 saying how many are open. */
  public Slot acquire(UUID accountId) {
    Slot slot = new Slot(accountId, UUID.randomUUID().toString());
    Long open =
        eval(
            ACQUIRE,
            slot,
            String.valueOf(clock.millis()),
            String.valueOf(LAPSE.toMillis()),
            String.valueOf(limit),
            slot.streamId());
    if (open != null && open >= 0) {
      throw ApiException.tooManyRequests(
          "You have "
              + open
              + " event streams open, the most one account may have; close one (a browser tab or"
              + " program following a job) and try again.",
          5);
    }
    return slot;
  }

  /** Keeps the slot from lapsing; call well within {@link #LAPSE}. */
  public void refresh(Slot slot) {
    eval(
        REFRESH,
        slot,
        String.valueOf(clock.millis()),
        String.valueOf(LAPSE.toMillis()),
        slot.streamId());
  }

  /** Gives the slot back when the stream ends. */
  public void release(Slot slot) {
    redis.getScoredSortedSet(key(slot), StringCodec.INSTANCE).remove(slot.streamId());
  }

  private Long eval(String script, Slot slot, Object... args) {
    return redis
        .getScript(StringCodec.INSTANCE)
        .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LONG, List.of(key(slot)), args);
  }

  private static String key(Slot slot) {
    return PREFIX + slot.accountId();
  }
}
