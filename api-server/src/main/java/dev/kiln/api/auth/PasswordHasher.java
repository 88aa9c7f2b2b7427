package dev.kiln.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt ({@code $2b$}) hashing of passwords at a configured cost of at least 12. Thread-safe. */
public final class PasswordHasher {
  /** bcrypt reads at most this many bytes of a password. */
  public static final int MAX_PASSWORD_BYTES = 72;

  private final int cost;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;

  public PasswordHasher(int cost) {
    if (cost < 12 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be between 12 and 31, got " + cost);
    }
    this.cost = cost;
    this.dummyHash = hash("a password nobody has");
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
  }

  /** Whether {@code password} matches {@code hash}; false for a malformed hash. */
  public boolean matches(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
      return false;
    }
  }

  /** Spends the time of one check, so unknown e-mail addresses answer as slowly as known ones. */
  public void burnOneCheck(String password) {
    matches(password, dummyHash);
  }
}
