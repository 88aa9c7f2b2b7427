package dev.kiln.api.auth;

import dev.kiln.api.errors.ApiException;
import dev.kiln.protocol.RedisKeys;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Counts password checks per account and per client address in Redis (shared by every API instance)
 * under {@link LoginBackoff}. Each check is counted as a failure <em>before</em> the password is
 * compared, in one Lua script that both decides and counts, so a parallel burst gets no more checks
 * than a sequence would; a success then clears the account's count and takes its one back from the
 * address. Guards logins and password confirmations alike. Thread-safe.
 */
public final class LoginThrottle {
  private static final String PREFIX = RedisKeys.LOGIN_FAILURES_PREFIX;

  /**
   * KEYS: the account's and the address's records (hashes n, last). ARGV: now in ms, then for each
   * key its free failures, first wait ms, max wait ms and window ms. Answers 0 and counts one more
   * failure on both when both may try now, else the ms to wait (counting nothing): the formula of
   * {@link LoginBackoff#waitBefore}.
   */
  private static final String ATTEMPT =
      """
      local now = tonumber(ARGV[1])
      local longest = 0
      for i = 1, 2 do
        local n = tonumber(redis.call('HGET', KEYS[i], 'n') or '0')
        local last = tonumber(redis.call('HGET', KEYS[i], 'last') or '0')
        local free = tonumber(ARGV[2 + (i - 1) * 4])
        local firstWait = tonumber(ARGV[3 + (i - 1) * 4])
        local maxWait = tonumber(ARGV[4 + (i - 1) * 4])
        if n >= free and last > 0 then
          local wait = firstWait * math.pow(2, math.min(n - free, 30))
          if wait > maxWait then wait = maxWait end
          local left = last + wait - now
          if left > longest then longest = left end
        end
      end
      if longest > 0 then return longest end
      for i = 1, 2 do
        redis.call('HINCRBY', KEYS[i], 'n', 1)
        redis.call('HSET', KEYS[i], 'last', ARGV[1])
        redis.call('PEXPIRE', KEYS[i], ARGV[5 + (i - 1) * 4])
      end
      return 0
      """;

  /** Clears the account's record and takes the success's count back from the address. */
  private static final String SUCCESS =
      """
      redis.call('DEL', KEYS[1])
      if tonumber(redis.call('HGET', KEYS[2], 'n') or '0') > 0 then
        redis.call('HINCRBY', KEYS[2], 'n', -1)
      end
      return 0
      """;

  private final RedissonClient redis;
  private final LoginBackoff accountPolicy;
  private final LoginBackoff addressPolicy;
  private final Clock clock;

  /** Addresses are shared (offices, NAT), so they usually get more free failures than accounts. */
  public LoginThrottle(
      RedissonClient redis, LoginBackoff accountPolicy, LoginBackoff addressPolicy, Clock clock) {
    this.redis = redis;
    this.accountPolicy = accountPolicy;
    this.addressPolicy = addressPolicy;
    this.clock = clock;
  }

  /**
   * Counts one password check of {@code email} from {@code address} as a failure, or throws 429
   * with Retry-After (counting nothing) when either must wait. Call before comparing the password;
   * call {@link #recordSuccess} when it matched.
   */
  public void attempt(String email, String address) {
    Long waitMillis =
        redis
            .getScript(StringCodec.INSTANCE)
            .eval(
                RScript.Mode.READ_WRITE,
                ATTEMPT,
                RScript.ReturnType.LONG,
                keys(email, address),
                String.valueOf(clock.millis()),
                String.valueOf(accountPolicy.freeFailures()),
                String.valueOf(accountPolicy.firstWait().toMillis()),
                String.valueOf(accountPolicy.maxWait().toMillis()),
                String.valueOf(accountPolicy.window().toMillis()),
                String.valueOf(addressPolicy.freeFailures()),
                String.valueOf(addressPolicy.firstWait().toMillis()),
                String.valueOf(addressPolicy.maxWait().toMillis()),
                String.valueOf(addressPolicy.window().toMillis()));
    if (waitMillis != null && waitMillis > 0) {
      long seconds = Math.max(1, (waitMillis + 999) / 1000);
      throw ApiException.tooManyRequests(
          "Too many failed password checks; wait "
              + seconds
              + " s before trying again, or reset your password with an administrator.",
          seconds);
    }
  }

  /** The password matched: forget the account's failures. */
  public void recordSuccess(String email, String address) {
    redis
        .getScript(StringCodec.INSTANCE)
        .eval(RScript.Mode.READ_WRITE, SUCCESS, RScript.ReturnType.LONG, keys(email, address));
  }

  private static List<Object> keys(String email, String address) {
    return List.of(accountKey(email), PREFIX + "addr:" + (address == null ? "unknown" : address));
  }

  private static String accountKey(String email) {
    return PREFIX + "acct:" + email.strip().toLowerCase(Locale.ROOT);
  }
}
