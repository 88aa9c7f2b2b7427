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
      throw new InvalidValueException(
          "'"
              + field
              + "' contains control characters or text-direction marks (such as U+202E, which"
              + " shows text reversed); remove them and send plain text.");
    }
    return value;
  }

  /**
   * Whether the text holds a character that hides or disguises what a reader sees: C0 and C1
   * controls, line and paragraph separators, and the bidirectional marks, embeddings, overrides and
   * isolates (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) that make {@code
   * invoice_exe.pdf} read as {@code invoice_fdp.exe}.
   */
  public static boolean hasControlCharacters(String value) {
    return value.codePoints().anyMatch(Validation::isControl);
  }

  static boolean isControl(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || isBidiControl(cp);
  }

  static boolean isBidiControl(int cp) {
    return cp == 0x061C
        || cp == 0x200E
        || cp == 0x200F
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }
}
