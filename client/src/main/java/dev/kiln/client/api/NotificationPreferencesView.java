package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/**
 * {@code GET/PUT /api/v1/account/notifications}: which e-mails the account receives, one switch per
 * kind. A PUT sends every switch.
 */
public record NotificationPreferencesView(
    Boolean jobSucceeded, Boolean jobFailed, Boolean budgetWarning, Boolean budgetExceeded) {
  public NotificationPreferencesView {
    if (jobSucceeded == null
        || jobFailed == null
        || budgetWarning == null
        || budgetExceeded == null) {
      throw new InvalidValueException(
          "Send all four switches: jobSucceeded, jobFailed, budgetWarning and budgetExceeded.");
    }
  }
}
