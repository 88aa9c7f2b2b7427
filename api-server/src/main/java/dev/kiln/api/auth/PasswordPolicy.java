package dev.kiln.api.auth;

import dev.kiln.client.api.SignupRequest;
import dev.kiln.model.InvalidValueException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be: at least {@value SignupRequest#MIN_PASSWORD_CHARS} characters, not
 * only white space, and none of the common passwords Kiln ships ({@code common-passwords.txt}: the
 * 10,000 most frequent leaked passwords that are long enough, compared without case). Immutable and
 * thread-safe.
 */
public final class PasswordPolicy {
  static final String COMMON_PASSWORDS = "common-passwords.txt";

  private final Set<String> common;

  PasswordPolicy(Set<String> common) {
    this.common = Set.copyOf(common);
  }

  /** The policy with the list shipped in this package. */
  public static PasswordPolicy shipped() {
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_PASSWORDS)) {
      if (in == null) {
        throw new IllegalStateException(COMMON_PASSWORDS + " is missing from the classpath");
      }
      Set<String> words = new HashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          words.add(normal(line));
        }
      }
      return new PasswordPolicy(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many passwords the policy knows as common. */
  public int commonCount() {
    return common.size();
  }

  /** Throws 422 saying what to choose instead when {@code password} may not be used. */
  public void check(String password, String field) {
    SignupRequest.checkNewPassword(password, field);
    if (common.contains(normal(password))) {
      throw new InvalidValueException(
          "'"
              + field
              + "' is one of the most common passwords and is guessed first; choose another, such"
              + " as a few unrelated words.");
    }
  }

  private static String normal(String password) {
    return password.strip().toLowerCase(Locale.ROOT);
  }
}
