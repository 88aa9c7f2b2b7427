package dev.kiln.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiln.db.AccountAuth;
import dev.kiln.db.AccountReads;
import dev.kiln.protocol.RedisKeys;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication state of accounts (role, disabled, tokens valid after), read from PostgreSQL
 * and kept for a short while, because every authenticated request needs it. Whatever turns an
 * account's tokens away (logout, password change, disabling, deletion) calls {@link #changed} after
 * its transaction commits: that drops the entry here and, through a Redis topic, in every other API
 * process, so the change holds at once everywhere. The lifetime only bounds how long a lost message
 * could go unnoticed. Thread-safe.
 */
public final class AccountStates implements Managed {
  static final String TOPIC = RedisKeys.ACCOUNTS_CHANGED;
  private static final Logger LOG = LoggerFactory.getLogger(AccountStates.class);

  private final Jdbi jdbi;
  private final RTopic topic;
  private final Cache<UUID, AccountAuth> entries;
  private int listener = -1;

  public AccountStates(Jdbi jdbi, RedissonClient redis, Duration lifetime) {
    this.jdbi = jdbi;
    this.topic = redis.getTopic(TOPIC, StringCodec.INSTANCE);
    this.entries = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(lifetime).build();
  }

  /** Listens for changes made by other processes. */
  @Override
  public void start() {
    listener = topic.addListener(String.class, (channel, id) -> forget(id));
  }

  @Override
  public void stop() {
    if (listener >= 0) {
      topic.removeListener(listener);
    }
  }

  /** The account's state, or empty when there is no such account. */
  public Optional<AccountAuth> find(UUID accountId) {
    return Optional.ofNullable(
        entries.get(accountId, id -> jdbi.withHandle(h -> AccountReads.find(h, id)).orElse(null)));
  }

  /** Call after committing a change to the account's authentication state. */
  public void changed(UUID accountId) {
    entries.invalidate(accountId);
    try {
      topic.publish(accountId.toString());
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not announce a change to account {}; other API processes see it within their"
              + " account state lifetime",
          accountId,
          e);
    }
  }

  private void forget(String accountId) {
    try {
      entries.invalidate(UUID.fromString(accountId));
    } catch (IllegalArgumentException notAnId) {
      LOG.warn("Ignoring a malformed account change message '{}'", accountId);
    }
  }
}
