package dev.kiln.api.api;

import dev.kiln.api.core.ApiException;

/** {@code POST /api/v1/account/delete}: the password confirms the deletion. */
public record DeleteAccountRequest(String password) {
  public DeleteAccountRequest {
    if (password == null || password.isEmpty()) {
      throw ApiException.validation("'password' is required to delete the account.");
    }
  }
}
