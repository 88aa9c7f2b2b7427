package dev.kiln.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;

class OutagesTest {
  @Test
  void postgresConnectionFailuresAreOutages() {
    assertThat(Outages.unavailable(new ConnectionException(new SQLException("refused", "08001"))))
        .contains("PostgreSQL");
    assertThat(
            Outages.unavailable(
                new IllegalStateException(new SQLException("terminating connection", "57P01"))))
        .contains("PostgreSQL");
    assertThat(Outages.unavailable(new RuntimeException(new SQLException("gone", "08006"))))
        .contains("PostgreSQL");
  }

  @Test
  void redisConnectionFailuresAreOutages() {
    assertThat(Outages.unavailable(new RedisConnectionException("refused"))).contains("Redis");
    assertThat(Outages.unavailable(new RuntimeException(new RedisTimeoutException("slow"))))
        .contains("Redis");
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(Outages.unavailable(new RuntimeException(new SQLException("dup", "23505"))))
        .isEmpty();
    assertThat(Outages.unavailable(new IllegalStateException("bug"))).isEmpty();
  }
}
