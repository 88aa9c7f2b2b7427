package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/** {@code POST /api/v1/account/password}. */
public record ChangePasswordRequest(String currentPassword, String newPassword) {
  public ChangePasswordRequest {
    if (currentPassword == null || currentPassword.isEmpty()) {
      throw new InvalidValueException("'currentPassword' is required.");
    }
    SignupRequest.checkNewPassword(newPassword, "newPassword");
  }
}
