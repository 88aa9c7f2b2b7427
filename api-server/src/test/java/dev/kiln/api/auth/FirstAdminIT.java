package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.model.Role;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first administrator made at start from the bootstrap settings, in PostgreSQL. Each test runs
 * in a transaction it rolls back, with the administrators other tests made demoted inside it, so it
 * sees an estate without one.
 */
@ExtendWith(KilnStackExtension.class)
class FirstAdminIT {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-02-01T08:00:00Z"), ZoneOffset.UTC);
  private static final String PASSWORD = "one-time-Xq7rT2mW9vLp4sZk8Jd3";
  private final PasswordHasher hasher = new PasswordHasher(12);

  @Test
  void createsTheAdministratorWhoCanLogInWithTheOneTimePassword(TestStack stack) {
    String email = "first-" + UUID.randomUUID() + "@example.com";
    inAnEstateWithoutAdministrators(
        stack,
        handle -> {
          Optional<UUID> made = FirstAdmin.ensure(handle, email, PASSWORD, hasher, CLOCK);

          assertThat(made).isPresent();
          AccountDao accounts = handle.attach(AccountDao.class);
          var account = accounts.findByEmail(email).orElseThrow();
          assertThat(account.role()).isEqualTo(Role.ADMIN);
          assertThat(hasher.matches(PASSWORD, account.passwordHash())).isTrue();
          assertThat(accounts.countAdmins()).isEqualTo(1);

          assertThat(FirstAdmin.ensure(handle, "other-" + email, PASSWORD, hasher, CLOCK))
              .as("once there is an administrator the bootstrap does nothing")
              .isEmpty();
          assertThat(accounts.findByEmail("other-" + email)).isEmpty();
        });
  }

  @Test
  void promotesAnExistingAccountOfThatAddressWithoutTouchingItsPassword(TestStack stack) {
    String email = "existing-" + UUID.randomUUID() + "@example.com";
    inAnEstateWithoutAdministrators(
        stack,
        handle -> {
          AccountDao accounts = handle.attach(AccountDao.class);
          UUID id = UUID.randomUUID();
          accounts.insert(id, email, "kept-hash", Role.USER, CLOCK.instant());

          assertThat(FirstAdmin.ensure(handle, email, PASSWORD, hasher, CLOCK)).contains(id);

          var account = accounts.findByEmail(email).orElseThrow();
          assertThat(account.role()).isEqualTo(Role.ADMIN);
          assertThat(account.passwordHash()).isEqualTo("kept-hash");
        });
  }

  @Test
  void refusesAWeakBootstrapPasswordAndDoesNothingWithoutSettings(TestStack stack) {
    inAnEstateWithoutAdministrators(
        stack,
        handle -> {
          assertThatThrownBy(
                  () -> FirstAdmin.ensure(handle, "weak@example.com", "password", hasher, CLOCK))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("auth.bootstrapAdminPassword");
          assertThat(handle.attach(AccountDao.class).countAdmins()).isZero();
        });
    Jdbi jdbi = Databases.jdbi(stack.dataSource());
    assertThat(FirstAdmin.ensure(jdbi, "", PASSWORD, hasher, CLOCK)).isEmpty();
    assertThat(FirstAdmin.ensure(jdbi, "ops@example.com", " ", hasher, CLOCK)).isEmpty();
  }

  private static void inAnEstateWithoutAdministrators(
      TestStack stack, java.util.function.Consumer<Handle> test) {
    Jdbi jdbi = Databases.jdbi(stack.dataSource());
    try (Handle handle = jdbi.open()) {
      handle.begin();
      try {
        handle.execute("update accounts set role = 'USER' where role = 'ADMIN'");
        test.accept(handle);
      } finally {
        handle.rollback();
      }
    }
  }
}
