package dev.kiln.dropwizard;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisTimeoutException;

/**
 * Tells a failure caused by PostgreSQL or Redis being unreachable (which a retry may cure) from any
 * other, by its chain of causes. Stateless.
 */
public final class Outages {
  private static final int MAX_DEPTH = 16;

  private Outages() {}

  /** "PostgreSQL" or "Redis" when {@code failure} comes from that store being away, else empty. */
  public static Optional<String> unavailable(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
      if (cause instanceof RedisConnectionException || cause instanceof RedisTimeoutException) {
        return Optional.of("Redis");
      }
      if (cause instanceof ConnectionException
          || cause instanceof SQLTransientConnectionException
          || (cause instanceof SQLException sql && lostConnection(sql))
          || cause.getClass().getSimpleName().equals("PoolExhaustedException")) {
        return Optional.of("PostgreSQL");
      }
      if (cause instanceof ConnectException && depth > 0) {
        return Optional.of("PostgreSQL");
      }
      cause = cause.getCause() == cause ? null : cause.getCause();
    }
    return Optional.empty();
  }

  /**
   * SQLState class 08 (connection exception), 57P01-57P03 (administrator or crash shutdown, cannot
   * connect now) and 53300 (too many connections).
   */
  private static boolean lostConnection(SQLException sql) {
    String state = sql.getSQLState();
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("53300"));
  }
}
