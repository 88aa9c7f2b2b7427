package dev.kiln.local;

import dev.kiln.api.KilnApiApplication;
import dev.kiln.api.KilnApiConfiguration;
import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.model.Role;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.StackOptions;
import dev.kiln.scheduler.KilnSchedulerApplication;
import dev.kiln.scheduler.KilnSchedulerConfiguration;
import dev.kiln.scheduler.fleet.LocalProcessFleet;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: embedded PostgreSQL, Redis and S3, the API and the scheduler
 * in this process, and agents as child processes of the scheduler's local fleet, which its
 * autoscaler sizes between the settings' minimum and maximum. {@link #close()}, or the stack's
 * shutdown hook on Ctrl-C, stops everything it started, in reverse order. Not thread-safe.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  private static final String ACCOUNT_EMAIL = "demo@kiln.local";

  private final LocalSettings settings;
  private EmbeddedStack stack;
  private DropwizardTestSupport<KilnApiConfiguration> api;
  private LocalProcessFleet fleet;
  private LocalAccount account;

  private LocalPlatform(LocalSettings settings) {
    this.settings = settings;
  }

  /** Starts everything; on failure stops what had started and rethrows. */
  public static LocalPlatform start(LocalSettings settings) throws Exception {
    LocalPlatform platform = new LocalPlatform(settings);
    try {
      platform.startAll();
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Files.createDirectories(settings.dataDir());
    stack = EmbeddedStack.start(StackOptions.embeddedAt(settings.dataDir().resolve("services")));
    createBuckets();

    api =
        new DropwizardTestSupport<>(
            KilnApiApplication.class, LocalConfigs.writeApiConfig(stack, settings).toString());
    api.before();
    stack.stopFirst(api::after);

    DropwizardTestSupport<KilnSchedulerConfiguration> scheduler =
        new DropwizardTestSupport<>(
            KilnSchedulerApplication.class,
            LocalConfigs.writeSchedulerConfig(stack, settings).toString());
    scheduler.before();
    stack.stopFirst(scheduler::after);

    fleet = (LocalProcessFleet) scheduler.<KilnSchedulerApplication>getApplication().fleet();

    account = ensureAccount();
  }

  private void createBuckets() {
    S3Settings s3 = LocalConfigs.s3Settings(stack);
    try (ObjectStore store = ObjectStore.create(s3)) {
      store.ensureBucket(s3.uploadsBucket());
      store.ensureBucket(s3.resultsBucket());
    }
  }

  /** Signs up the local account on first start (admin, random password kept in the data dir). */
  private LocalAccount ensureAccount() throws IOException {
    Path file = settings.dataDir().resolve("account.txt");
    KilnClient client = new KilnClient(apiUrl());
    if (Files.exists(file)) {
      String password = Files.readString(file).strip();
      try {
        client.login(ACCOUNT_EMAIL, password);
        return new LocalAccount(ACCOUNT_EMAIL, password, client.credential());
      } catch (KilnApiException e) {
        LOG.warn("the saved local account could not log in ({}); making a new one", e.getMessage());
      }
    }
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = "kiln-" + HexFormat.of().formatHex(random);
    String email =
        Files.exists(file) ? "demo-" + System.currentTimeMillis() + "@kiln.local" : ACCOUNT_EMAIL;
    client.signup(email, password);
    promoteToAdmin(email);
    client.login(email, password);
    Files.writeString(file, password + "\n");
    return new LocalAccount(email, password, client.credential());
  }

  private void promoteToAdmin(String email) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(stack.postgres().jdbcUrl());
    dataSource.setUser(stack.postgres().user());
    dataSource.setPassword(stack.postgres().password());
    AccountDao accounts = Databases.jdbi(dataSource).onDemand(AccountDao.class);
    accounts.findByEmail(email).ifPresent(found -> accounts.setRole(found.id(), Role.ADMIN));
  }

  public URI apiUrl() {
    return URI.create("http://127.0.0.1:" + api.getLocalPort());
  }

  public URI adminUrl() {
    return URI.create("http://127.0.0.1:" + api.getAdminPort());
  }

  public LocalAccount account() {
    return account;
  }

  public LocalProcessFleet fleet() {
    return fleet;
  }

  public EmbeddedStack stack() {
    return stack;
  }

  /** A client logged in as the local account. */
  public KilnClient client() {
    return new KilnClient(apiUrl(), account.token());
  }

  /** What is running, for a person. */
  public String describe() {
    return String.join(
        "\n",
        "Kiln is running.",
        "  API and web UI   " + apiUrl(),
        "  health checks    " + adminUrl() + "/healthcheck",
        "  PostgreSQL       " + stack.postgres().jdbcUrl(),
        "  Redis            " + stack.redisUri(),
        "  S3               " + stack.s3().endpoint(),
        "  agents           "
            + fleet.size()
            + " processes "
            + fleet.pids()
            + " (autoscaled "
            + settings.minAgents()
            + " to "
            + settings.maxAgents()
            + ")"
            + ", logs in "
            + settings.dataDir().resolve("logs"),
        "  data             " + settings.dataDir(),
        "  account          " + account.email() + " / " + account.password() + " (admin)");
  }

  /** Stops the scheduler with its agents, the API and the services, in that order. Idempotent. */
  @Override
  public void close() {
    if (stack != null) {
      stack.close();
    }
  }

  /** The account a person can use locally. */
  public record LocalAccount(String email, String password, String token) {}
}
