package dev.kiln.local;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.api.KilnApiApplication;
import dev.kiln.api.KilnApiConfiguration;
import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.db.credits.Ledger;
import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.IncompatibleDataException;
import dev.kiln.embedded.StackOptions;
import dev.kiln.model.Role;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.scheduler.KilnSchedulerApplication;
import dev.kiln.scheduler.KilnSchedulerConfiguration;
import dev.kiln.scheduler.fleet.LocalProcessFleet;
import io.dropwizard.logging.common.LoggingFactory;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine: embedded PostgreSQL and S3 (durable: what they acknowledged is
 * on disk), Redis (a rebuildable index), PostgreSQL and Redis started again if their process dies,
 * the API and the scheduler in this process, and agents as child processes of the scheduler's local
 * fleet, which its autoscaler sizes between the settings' minimum and maximum; the agents exit when
 * this process is gone. Each run has a short random id, which names its agents ({@code
 * local-{runId}-{n}}) and its log directory under {@code logs/}. {@link #close()}, or the stack's
 * shutdown hook, stops everything it started, in reverse order. Not thread-safe.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  private static final String ACCOUNT_EMAIL = "demo@kiln.local";

  /** Credits the local account starts with. */
  static final BigDecimal WELCOME_CREDITS_USD = new BigDecimal("100");

  /** How often the embedded PostgreSQL and Redis are checked for a dead process. */
  static final Duration SUPERVISION_INTERVAL = Duration.ofSeconds(1);

  /** Runs whose logs are kept in {@code logs/}, the newest. */
  static final int LOG_RUNS_KEPT = 10;

  private static final DateTimeFormatter RUN_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final LocalSettings settings;
  private final String runId;
  private final Path logDir;
  private EmbeddedStack stack;
  private DropwizardTestSupport<KilnApiConfiguration> api;
  private LocalProcessFleet fleet;
  private int schedulerAdminPort;
  private LocalAccount account;

  private LocalPlatform(LocalSettings settings, String runId, Path logDir) {
    this.settings = settings;
    this.runId = runId;
    this.logDir = logDir;
  }

  /** Starts everything; on failure stops what had started and rethrows. */
  public static LocalPlatform start(LocalSettings settings) throws Exception {
    return start(settings, Clock.systemDefaultZone());
  }

  /**
   * As above; {@code clock} names this run's log directory, {@code logs/yyyyMMdd-HHmmss-RUNID}.
   *
   * @throws IncompatibleDataException if the data directory was made by another build
   */
  public static LocalPlatform start(LocalSettings settings, Clock clock) throws Exception {
    String runId = LocalProcessFleet.newRunId();
    String run = RUN_NAME.format(LocalDateTime.now(clock)) + "-" + runId;
    LocalPlatform platform =
        new LocalPlatform(settings, runId, settings.dataDir().resolve("logs").resolve(run));
    try {
      platform.startAll();
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Files.createDirectories(logDir);
    pruneOldLogs();
    Path services = settings.dataDir().resolve("services");
    boolean existingDatabase = Files.exists(services.resolve("postgres").resolve("PG_VERSION"));
    stack = EmbeddedStack.start(StackOptions.embeddedAt(services).withDurableStorage());
    // A PostgreSQL or Redis that dies (kill -9, the OOM killer) comes back on its port and data.
    stack.supervise(SUPERVISION_INTERVAL);
    migrate(existingDatabase);
    createBuckets();

    // Stopped in the reverse order: the API, then the scheduler, whose fleet stops the agents last
    // of its parts, then the services.
    DropwizardTestSupport<KilnSchedulerConfiguration> scheduler =
        new DropwizardTestSupport<>(
            KilnSchedulerApplication.class,
            LocalConfigs.writeSchedulerConfig(stack, settings, runId, logDir).toString());
    scheduler.before();
    schedulerAdminPort = scheduler.getAdminPort();
    LoggingFactory logging = scheduler.getConfiguration().getLoggingFactory();
    stack.stopFirst(() -> stop(scheduler, logging));
    fleet = (LocalProcessFleet) scheduler.<KilnSchedulerApplication>getApplication().fleet();

    api =
        new DropwizardTestSupport<>(
            KilnApiApplication.class,
            LocalConfigs.writeApiConfig(stack, settings, logDir).toString(),
            apiOverridePrefix(),
            settings.apiOverrides().entrySet().stream()
                .map(
                    entry ->
                        ConfigOverride.config(
                            apiOverridePrefix(), entry.getKey(), entry.getValue()))
                .toArray(ConfigOverride[]::new));
    api.before();
    stack.stopFirst(() -> stop(api, logging));

    account = ensureAccount();
  }

  /**
   * The system-property prefix of this platform's API overrides. Overrides are JVM-wide system
   * properties while the platform runs; a prefix of its own keeps them from reaching another
   * platform's API or scheduler in the same JVM (the browser tests keep one running throughout).
   */
  private String apiOverridePrefix() {
    return "kiln-api-" + runId + ".";
  }

  /**
   * Stops an application. Its test support then resets logging to the console at INFO, for the next
   * test; the platform keeps logging as configured until the services have stopped too.
   */
  private static void stop(DropwizardTestSupport<?> application, LoggingFactory logging) {
    try {
      application.after();
    } finally {
      logging.configure(new MetricRegistry(), "kiln");
    }
  }

  /**
   * Brings the schema up to this build's migrations before a service starts, so that a database an
   * older (or newer) build made is named as such rather than failing inside a service.
   */
  private void migrate(boolean existingDatabase) {
    try {
      Databases.migrate(dataSource());
    } catch (FlywayException e) {
      if (!existingDatabase) {
        throw e;
      }
      String reason = e.getMessage() == null ? e.toString() : e.getMessage().strip();
      throw new IncompatibleDataException(
          settings.dataDir(),
          "its database schema differs from this build's migrations: "
              + reason.lines().findFirst().orElse(reason),
          e);
    }
  }

  /** Keeps the logs of the newest {@link #LOG_RUNS_KEPT} runs, this one included. */
  private void pruneOldLogs() throws IOException {
    Path logs = logDir.getParent();
    List<Path> runs;
    try (Stream<Path> children = Files.list(logs)) {
      runs =
          children
              .filter(Files::isDirectory)
              .filter(dir -> dir.getFileName().toString().matches("\\d{8}-\\d{6}-[0-9a-z]+"))
              .sorted(Comparator.comparing((Path dir) -> dir.getFileName().toString()).reversed())
              .toList();
    }
    for (Path old : runs.subList(Math.min(runs.size(), LOG_RUNS_KEPT), runs.size())) {
      deleteTree(old);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private PGSimpleDataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(stack.postgres().jdbcUrl());
    dataSource.setUser(stack.postgres().user());
    dataSource.setPassword(stack.postgres().password());
    return dataSource;
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
        welcomeCredits(ACCOUNT_EMAIL);
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
    welcomeCredits(email);
    client.login(email, password);
    Files.writeString(file, password + "\n");
    return new LocalAccount(email, password, client.credential());
  }

  /**
   * The local account's prepaid credits, granted once: local submissions reserve credits as paid
   * installations do, so the demo shows reservations and settlements on the statement.
   */
  private void welcomeCredits(String email) {
    Jdbi jdbi = Databases.jdbi(dataSource());
    jdbi.onDemand(AccountDao.class)
        .findByEmail(email)
        .ifPresent(
            found ->
                jdbi.useTransaction(
                    handle ->
                        Ledger.grantOnce(
                            handle,
                            found.id(),
                            WELCOME_CREDITS_USD,
                            "welcome credits of the local installation",
                            Instant.now(),
                            "welcome:" + found.id())));
  }

  private void promoteToAdmin(String email) {
    AccountDao accounts = Databases.jdbi(dataSource()).onDemand(AccountDao.class);
    accounts.findByEmail(email).ifPresent(found -> accounts.setRole(found.id(), Role.ADMIN));
  }

  public URI apiUrl() {
    return URI.create("http://127.0.0.1:" + api.getLocalPort());
  }

  public URI adminUrl() {
    return URI.create("http://127.0.0.1:" + api.getAdminPort());
  }

  /** The scheduler's admin port: health checks and metrics. */
  public URI schedulerAdminUrl() {
    return URI.create("http://127.0.0.1:" + schedulerAdminPort);
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

  /** This run's id, in its agents' ids ({@code local-{runId}-{n}}) and its log directory. */
  public String runId() {
    return runId;
  }

  /** This run's log directory: the services' {@code kiln.log} and the agents' logs. */
  public Path logDir() {
    return logDir;
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
            + ", ids local-"
            + runId
            + "-N)",
        "  logs             " + logDir,
        "  data             " + settings.dataDir(),
        "  account          " + account.email() + " / " + account.password() + " (admin)");
  }

  /**
   * Stops the API, the scheduler with its agents and then the services, in that order. Idempotent.
   */
  @Override
  public void close() {
    if (stack != null) {
      stack.close();
    }
  }

  /** The account a person can use locally. */
  public record LocalAccount(String email, String password, String token) {}
}
