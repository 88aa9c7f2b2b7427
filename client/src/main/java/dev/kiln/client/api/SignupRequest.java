package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** {@code POST /api/v1/auth/signup}: a new account. */
public record SignupRequest(String email, String password) {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  public static final int MIN_PASSWORD_CHARS = 10;

  public SignupRequest {
    email = checkEmail(email);
    checkNewPassword(password, "password");
  }

  public static String checkEmail(String email) {
    Validation.requireText(email, "email", 254);
    String trimmed = email.strip();
    if (!EMAIL.matcher(trimmed).matches()) {
      throw new InvalidValueException("'email' must be an e-mail address such as ada@example.com.");
    }
    return trimmed;
  }

  public static void checkNewPassword(String password, String field) {
    if (password == null || password.isEmpty()) {
      throw new InvalidValueException("'" + field + "' is required.");
    }
    if (password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
      throw new InvalidValueException(
          "'" + field + "' must have at least " + MIN_PASSWORD_CHARS + " characters.");
    }
    if (password.codePoints().allMatch(SignupRequest::isSpace)) {
      throw new InvalidValueException(
          "'" + field + "' is only white space; choose a password with letters, digits or signs.");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
      throw new InvalidValueException("'" + field + "' must be at most 72 bytes long (UTF-8).");
    }
  }

  /** White space of any kind, the no-break and ideographic spaces included. */
  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }
}
