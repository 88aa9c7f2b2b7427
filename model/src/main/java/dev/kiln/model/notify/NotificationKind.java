package dev.kiln.model.notify;

import dev.kiln.model.OutboxEventType;
import java.util.Optional;

/**
 * What an owner is told about, by e-mail and in the app; each kind can be turned off by the owner.
 * The names are stored in {@code notifications.kind} and are the keys of the preferences.
 */
public enum NotificationKind {
  /** A job finished with every output assembled. */
  JOB_SUCCEEDED("jobSucceeded"),
  /** A job failed; the notification carries the reason. */
  JOB_FAILED("jobFailed"),
  /** The account's spend this month reached 80 % of its monthly budget. */
  BUDGET_WARNING("budgetWarning"),
  /** The account's spend this month reached its monthly budget. */
  BUDGET_EXCEEDED("budgetExceeded");

  private final String preference;

  NotificationKind(String preference) {
    this.preference = preference;
  }

  /** The name of this kind's switch in the preferences. */
  public String preference() {
    return preference;
  }

  /** The kind a job event is told as, if any. */
  public static Optional<NotificationKind> of(OutboxEventType type) {
    return switch (type) {
      case SUCCEEDED -> Optional.of(JOB_SUCCEEDED);
      case FAILED -> Optional.of(JOB_FAILED);
      default -> Optional.empty();
    };
  }

  public static Optional<NotificationKind> fromName(String name) {
    for (NotificationKind kind : values()) {
      if (kind.name().equals(name)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
