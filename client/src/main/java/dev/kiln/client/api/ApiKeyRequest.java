package dev.kiln.client.api;

/** {@code POST /api/v1/account/api-keys}: a named key for a program. */
public record ApiKeyRequest(String name) {
  public ApiKeyRequest {
    name = Validation.requireText(name, "name", 100).strip();
  }
}
