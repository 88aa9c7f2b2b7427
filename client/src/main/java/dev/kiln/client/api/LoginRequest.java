package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/** {@code POST /api/v1/auth/login}. */
public record LoginRequest(String email, String password) {
  public LoginRequest {
    Validation.requireText(email, "email", 254);
    email = email.strip();
    if (password == null || password.isEmpty()) {
      throw new InvalidValueException("'password' is required.");
    }
    if (password.length() > 1024) {
      throw new InvalidValueException("'password' is too long.");
    }
  }
}
