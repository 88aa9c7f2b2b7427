package dev.kiln.model.notify;

/** Which kinds of e-mail an account receives; all on until the owner turns one off. Immutable. */
public record NotificationPreferences(
    boolean jobSucceeded, boolean jobFailed, boolean budgetWarning, boolean budgetExceeded) {

  public static NotificationPreferences allOn() {
    return new NotificationPreferences(true, true, true, true);
  }

  public boolean allows(NotificationKind kind) {
    return switch (kind) {
      case JOB_SUCCEEDED -> jobSucceeded;
      case JOB_FAILED -> jobFailed;
      case BUDGET_WARNING -> budgetWarning;
      case BUDGET_EXCEEDED -> budgetExceeded;
    };
  }

  /** These preferences with one kind switched. */
  public NotificationPreferences with(NotificationKind kind, boolean on) {
    return new NotificationPreferences(
        kind == NotificationKind.JOB_SUCCEEDED ? on : jobSucceeded,
        kind == NotificationKind.JOB_FAILED ? on : jobFailed,
        kind == NotificationKind.BUDGET_WARNING ? on : budgetWarning,
        kind == NotificationKind.BUDGET_EXCEEDED ? on : budgetExceeded);
  }
}
