package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;

/** Checks shared by the request records; each failure says what to send instead. Stateless. */
public final class Validation {
  private Validation() {}

  public static String requireText(String value, String field, int maxChars) {
    if (value == null || value.isBlank()) {
      throw new InvalidValueException("'" + field + "' is required.");
    }
    if (value.length() > maxChars) {
      throw new InvalidValueException(
          "'" + field + "' is too long: at most " + maxChars + " characters.");
    }
    if (hasControlCharacters(value)) {
      throw new InvalidValueException("'" + field + "' contains control characters; remove them.");
    }
    return value;
  }

  public static boolean hasControlCharacters(String value) {
    return value.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL);
  }
}
