package dev.kiln.db;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Recognises PostgreSQL's unique-violation error ({@code 23505}) under whatever Jdbi or the pool
 * wrapped it in, so a service can turn exactly that into a conflict and nothing else. Stateless.
 */
public final class UniqueViolations {
  /** SQLSTATE of {@code unique_violation}. */
  public static final String SQL_STATE = "23505";

  private UniqueViolations() {}

  /** Whether {@code error} or one of its causes is a unique violation. */
  public static boolean isUniqueViolation(Throwable error) {
    return constraint(error).isPresent();
  }

  /**
   * The violated constraint's name when {@code error} is a unique violation; an empty name when the
   * driver did not say which.
   */
  public static Optional<String> constraint(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && SQL_STATE.equals(sql.getSQLState())) {
        if (sql instanceof org.postgresql.util.PSQLException psql
            && psql.getServerErrorMessage() != null
            && psql.getServerErrorMessage().getConstraint() != null) {
          return Optional.of(psql.getServerErrorMessage().getConstraint());
        }
        return Optional.of("");
      }
    }
    return Optional.empty();
  }
}
