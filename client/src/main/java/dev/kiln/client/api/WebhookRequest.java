package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/**
 * {@code POST /api/v1/webhooks}: where the account's job events are posted (https, a public
 * address), with an optional description.
 */
public record WebhookRequest(String url, String description) {
  public WebhookRequest {
    url = Validation.requireText(url, "url", 2000).strip();
    description = description == null ? "" : description.strip();
    if (description.length() > 200 || Validation.hasControlCharacters(description)) {
      throw new InvalidValueException(
          "'description' must be at most 200 characters without control characters.");
    }
  }
}
