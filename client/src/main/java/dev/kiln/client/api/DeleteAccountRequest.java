package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/** {@code POST /api/v1/account/delete}: the password confirms the deletion. */
public record DeleteAccountRequest(String password) {
  public DeleteAccountRequest {
    if (password == null || password.isEmpty()) {
      throw new InvalidValueException("'password' is required to delete the account.");
    }
  }
}
