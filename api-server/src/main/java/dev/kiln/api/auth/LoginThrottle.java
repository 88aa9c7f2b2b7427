package dev.kiln.api.auth;

import dev.kiln.protocol.RedisKeys;
import dev.kiln.api.errors.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;

/**
 * Counts failed logins per account and per client address in Redis (shared by every API instance)
 * and applies {@link LoginBackoff}. A success clears the account's record. Thread-safe.
 */
public final class LoginThrottle {
  private static final String PREFIX = RedisKeys.LOGIN_FAILURES_PREFIX;

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

  /** Throws 429 with Retry-After when either the account or the address must wait. */
  public void check(String email, String address) {
    Instant now = clock.instant();
    for (String key : keys(email, address)) {
      Record record = read(key);
      Optional<Duration> wait = policyOf(key).waitBefore(record.failures(), record.last(), now);
      if (wait.isPresent()) {
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        throw ApiException.tooManyRequests(
            "Too many failed logins; wait "
                + seconds
                + " s before trying again, or reset your password with an administrator.",
            seconds);
      }
    }
  }

  public void recordFailure(String email, String address) {
    Instant now = clock.instant();
    for (String key : keys(email, address)) {
      Record record = read(key);
      RBucket<String> bucket = redis.getBucket(key);
      bucket.set(
          (record.failures() + 1) + ":" + now.toEpochMilli(),
          policyOf(key).window().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  public void recordSuccess(String email) {
    redis.getBucket(accountKey(email)).delete();
  }

  private LoginBackoff policyOf(String key) {
    return key.startsWith(PREFIX + "acct:") ? accountPolicy : addressPolicy;
  }

  private List<String> keys(String email, String address) {
    return List.of(accountKey(email), PREFIX + "addr:" + (address == null ? "unknown" : address));
  }

  private static String accountKey(String email) {
    return PREFIX + "acct:" + email.strip().toLowerCase(Locale.ROOT);
  }

  private Record read(String key) {
    RBucket<String> bucket = redis.getBucket(key);
    String value = bucket.get();
    if (value == null) {
      return new Record(0, null);
    }
    int colon = value.indexOf(':');
    try {
      return new Record(
          Long.parseLong(value.substring(0, colon)),
          Instant.ofEpochMilli(Long.parseLong(value.substring(colon + 1))));
    } catch (RuntimeException corrupt) {
      return new Record(0, null);
    }
  }

  private record Record(long failures, Instant last) {}
}
