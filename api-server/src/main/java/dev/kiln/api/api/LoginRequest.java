package dev.kiln.api.api;

import dev.kiln.api.core.ApiException;

/** {@code POST /api/v1/auth/login}. */
public record LoginRequest(String email, String password) {
  public LoginRequest {
    Validation.requireText(email, "email", 254);
    email = email.strip();
    if (password == null || password.isEmpty()) {
      throw ApiException.validation("'password' is required.");
    }
    if (password.length() > 1024) {
      throw ApiException.validation("'password' is too long.");
    }
  }
}
