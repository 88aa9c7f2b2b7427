package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/**
 * {@code POST /api/v1/files}: the name to show and the exact size to upload. Files at or above the
 * multipart threshold (or with {@code multipart: true}) are uploaded in parts.
 */
public record FileCreateRequest(String name, Long sizeBytes, Boolean multipart) {
  public static final int MAX_NAME_CHARS = 255;

  public FileCreateRequest {
    name = Validation.requireText(name, "name", MAX_NAME_CHARS);
    if (sizeBytes == null) {
      throw new InvalidValueException("'sizeBytes' is required: the exact size of the file.");
    }
    if (sizeBytes <= 0) {
      throw new InvalidValueException(
          "'sizeBytes' must be at least 1: the file is empty, and an empty file cannot be"
              + " processed.");
    }
  }

  public boolean wantsMultipart() {
    return Boolean.TRUE.equals(multipart);
  }
}
