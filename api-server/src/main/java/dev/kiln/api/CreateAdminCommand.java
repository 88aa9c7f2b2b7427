package dev.kiln.api;

import dev.kiln.api.auth.PasswordHasher;
import dev.kiln.api.auth.PasswordPolicy;
import dev.kiln.client.api.SignupRequest;
import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.model.Account;
import dev.kiln.model.InvalidValueException;
import dev.kiln.model.Role;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code kiln-api create-admin config.yml --email ops@example.com}: creates an administrator, or
 * promotes an existing account. The password comes from {@code KILN_ADMIN_PASSWORD} or the first
 * line of standard input; there is never a default one.
 */
public class CreateAdminCommand extends ConfiguredCommand<KilnApiConfiguration> {
  public CreateAdminCommand() {
    super("create-admin", "Create an administrator account (or promote an existing one)");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--email").required(true).help("the administrator's e-mail address");
  }

  @Override
  protected void run(
      Bootstrap<KilnApiConfiguration> bootstrap, Namespace namespace, KilnApiConfiguration config)
      throws Exception {
    String email = SignupRequest.checkEmail(namespace.getString("email"));
    ManagedDataSource dataSource =
        config.getDatabase().build(bootstrap.getMetricRegistry(), "create-admin");
    dataSource.start();
    try {
      Databases.migrate(dataSource);
      Jdbi jdbi = Databases.jdbi(dataSource);
      AccountDao accounts = jdbi.onDemand(AccountDao.class);
      Optional<Account> existing = accounts.findByEmail(email);
      if (existing.isPresent()) {
        accounts.setRole(existing.get().id(), Role.ADMIN);
        accounts.setDisabled(existing.get().id(), false);
        System.out.println("Promoted " + email + " to ADMIN.");
        return;
      }
      String password = readPassword();
      try {
        PasswordPolicy.shipped().check(password, "password");
      } catch (InvalidValueException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      PasswordHasher hasher = new PasswordHasher(config.getAuth().getBcryptCost());
      UUID id = UUID.randomUUID();
      accounts.insert(id, email, hasher.hash(password), Role.ADMIN, Clock.systemUTC().instant());
      System.out.println("Created administrator " + email + " (" + id + ").");
    } finally {
      dataSource.stop();
    }
  }

  private static String readPassword() throws java.io.IOException {
    String fromEnv = System.getenv("KILN_ADMIN_PASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    if (System.console() != null) {
      char[] typed = System.console().readPassword("Password for the new administrator: ");
      return typed == null ? "" : new String(typed);
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? "" : line;
  }
}
