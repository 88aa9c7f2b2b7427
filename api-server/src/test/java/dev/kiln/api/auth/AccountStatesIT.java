package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.model.Role;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** Two API processes' account states over one database and one Redis. */
@ExtendWith(KilnStackExtension.class)
class AccountStatesIT {
  private static final Duration LONG = Duration.ofMinutes(10);

  @Test
  void aChangeAnnouncedByOneProcessReachesTheOtherAtOnce(TestStack stack) {
    Jdbi jdbi = Databases.jdbi(stack.dataSource());
    RedissonClient redisOfA = RedisClients.create(stack.redisUri(), 2);
    RedissonClient redisOfB = RedisClients.create(stack.redisUri(), 2);
    AccountStates a = new AccountStates(jdbi, redisOfA, LONG);
    AccountStates b = new AccountStates(jdbi, redisOfB, LONG);
    a.start();
    b.start();
    try {
      UUID id = UUID.randomUUID();
      AccountDao accounts = jdbi.onDemand(AccountDao.class);
      accounts.insert(id, id + "@example.com", "not-a-hash", Role.USER, Instant.now());
      assertThat(a.find(id)).hasValueSatisfying(s -> assertThat(s.disabled()).isFalse());
      assertThat(b.find(id)).hasValueSatisfying(s -> assertThat(s.disabled()).isFalse());

      accounts.setDisabled(id, true);
      assertThat(b.find(id))
          .as("kept between reads until told")
          .hasValueSatisfying(s -> assertThat(s.disabled()).isFalse());

      a.changed(id);
      assertThat(a.find(id)).hasValueSatisfying(s -> assertThat(s.disabled()).isTrue());
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(b.find(id))
                      .hasValueSatisfying(s -> assertThat(s.disabled()).isTrue()));
    } finally {
      a.stop();
      b.stop();
      redisOfA.shutdown();
      redisOfB.shutdown();
    }
  }

  @Test
  void anUnknownAccountIsEmptyAndNotRemembered(TestStack stack) {
    Jdbi jdbi = Databases.jdbi(stack.dataSource());
    RedissonClient redis = RedisClients.create(stack.redisUri(), 2);
    AccountStates states = new AccountStates(jdbi, redis, LONG);
    try {
      UUID id = UUID.randomUUID();
      assertThat(states.find(id)).isEmpty();
      jdbi.onDemand(AccountDao.class)
          .insert(id, id + "@example.com", "not-a-hash", Role.USER, Instant.now());
      assertThat(states.find(id)).isPresent();
    } finally {
      redis.shutdown();
    }
  }
}
