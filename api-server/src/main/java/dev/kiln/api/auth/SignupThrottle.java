package dev.kiln.api.auth;

import dev.kiln.api.errors.ApiException;
import dev.kiln.protocol.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Allows at most {@code limit} sign-ups per client address in each {@code window}, counted in Redis
 * (shared by every API instance) by one Lua script that decides and counts at once, so a parallel
 * burst gets no more than a sequence would. Thread-safe.
 */
public final class SignupThrottle {
  private static final String PREFIX = RedisKeys.SIGNUPS_PREFIX;

  /**
   * KEYS: the address's counter. ARGV: the limit, the window in ms. Answers 0 and counts the
   * sign-up when the address is under its limit, else the ms until its window ends (counting
   * nothing).
   */
  private static final String ATTEMPT =
      """
      local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      if n >= tonumber(ARGV[1]) then
        local left = redis.call('PTTL', KEYS[1])
        if left < 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          left = tonumber(ARGV[2])
        end
        return left
      end
      if redis.call('INCR', KEYS[1]) == 1 then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """;

  private final RedissonClient redis;
  private final int limit;
  private final Duration window;

  public SignupThrottle(RedissonClient redis, int limit, Duration window) {
    if (limit < 1) {
      throw new IllegalArgumentException("the sign-up limit must be at least 1, got " + limit);
    }
    this.redis = redis;
    this.limit = limit;
    this.window = window;
  }

  /** Counts one sign-up from {@code address}, or throws 429 with Retry-After when it must wait. */
  public void attempt(String address) {
    Long waitMillis =
        redis
            .getScript(StringCodec.INSTANCE)
            .eval(
                RScript.Mode.READ_WRITE,
                ATTEMPT,
                RScript.ReturnType.LONG,
                List.of(PREFIX + (address == null ? "unknown" : address)),
                String.valueOf(limit),
                String.valueOf(window.toMillis()));
    if (waitMillis != null && waitMillis > 0) {
      long seconds = Math.max(1, (waitMillis + 999) / 1000);
      throw ApiException.tooManyRequests(
          "Too many accounts were created from your address ("
              + limit
              + " per "
              + window.toMinutes()
              + " minutes); wait "
              + seconds
              + " s before signing up again, or log in to an account you have.",
          seconds);
    }
  }
}
