package dev.kiln.api.auth;

import dev.kiln.db.AccountDao;
import dev.kiln.model.Account;
import dev.kiln.model.InvalidValueException;
import dev.kiln.model.Role;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first administrator of an estate, made at start without a shell: when no account is an
 * administrator yet and the configuration names one ({@code auth.bootstrapAdminEmail}) with a
 * one-time password ({@code auth.bootstrapAdminPassword}, which kiln-runtime-env reads from an SSM
 * SecureString parameter Terraform generated), that account is created as administrator (or an
 * existing account of that address promoted). Once any administrator exists it does nothing, so the
 * password stops mattering as soon as it has been changed. API servers starting together take a
 * database lock so only one of them creates it. Stateless.
 */
public final class FirstAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

  /** Any constant shared by every API server; the advisory lock of this step. */
  private static final long LOCK = 0x6b696c6e_61646d31L;

  private FirstAdmin() {}

  /**
   * Creates or promotes the bootstrap administrator if there is none.
   *
   * @return the account made an administrator now, if any
   * @throws IllegalArgumentException if the bootstrap password breaks the password policy
   */
  public static Optional<UUID> ensure(
      Jdbi jdbi, String email, String password, PasswordHasher hasher, Clock clock) {
    if (email == null || email.isBlank() || password == null || password.isBlank()) {
      return Optional.empty();
    }
    return jdbi.inTransaction(handle -> ensure(handle, email.strip(), password, hasher, clock));
  }

  /**
   * {@link #ensure(Jdbi, String, String, PasswordHasher, Clock)} inside the caller's transaction.
   */
  static Optional<UUID> ensure(
      Handle handle, String email, String password, PasswordHasher hasher, Clock clock) {
    handle.createQuery("select pg_advisory_xact_lock(:lock)").bind("lock", LOCK).mapToMap().one();
    AccountDao accounts = handle.attach(AccountDao.class);
    if (accounts.countAdmins() > 0) {
      return Optional.empty();
    }
    Optional<Account> existing = accounts.findByEmail(email);
    if (existing.isPresent()) {
      accounts.setRole(existing.get().id(), Role.ADMIN);
      accounts.setDisabled(existing.get().id(), false);
      LOG.warn("Promoted {} to the first administrator", email);
      return Optional.of(existing.get().id());
    }
    try {
      PasswordPolicy.shipped().check(password, "auth.bootstrapAdminPassword");
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    UUID id = UUID.randomUUID();
    accounts.insert(id, email, hasher.hash(password), Role.ADMIN, clock.instant());
    LOG.warn(
        "Created the first administrator {}: log in with the one-time password and change it",
        email);
    return Optional.of(id);
  }
}
