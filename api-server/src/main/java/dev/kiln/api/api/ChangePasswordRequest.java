package dev.kiln.api.api;

import dev.kiln.api.core.ApiException;

/** {@code POST /api/v1/account/password}. */
public record ChangePasswordRequest(String currentPassword, String newPassword) {
  public ChangePasswordRequest {
    if (currentPassword == null || currentPassword.isEmpty()) {
      throw ApiException.validation("'currentPassword' is required.");
    }
    SignupRequest.checkNewPassword(newPassword, "newPassword");
  }
}
