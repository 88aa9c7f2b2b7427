package dev.kiln.db.credits;

import java.sql.SQLException;

/** Tells PostgreSQL's check violation (SQLSTATE 23514) from any other failure. */
final class CheckViolations {
  private static final String CHECK_VIOLATION = "23514";

  private CheckViolations() {}

  static boolean isCheckViolation(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && CHECK_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
