package dev.kiln.testkit;

import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.PostgresEndpoint;
import dev.kiln.embedded.StackOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack of one test JVM plus a template database migrated once, from which every test class
 * gets a copy. Thread-safe.
 */
final class SharedStack implements AutoCloseable {

  static final String TEMPLATE_DATABASE = "kiln_template";
  static final String MIGRATIONS = "db/migration";

  private static final Logger LOG = LoggerFactory.getLogger(SharedStack.class);
  private static final String DIR_PREFIX = "kiln-test-stack-";
  private static final AtomicInteger STARTS = new AtomicInteger();

  private final EmbeddedStack stack;
  private final Path dataDir;
  private final boolean deleteDataDir;
  private final AutoCloseable containers;

  private SharedStack(
      EmbeddedStack stack, Path dataDir, boolean deleteDataDir, AutoCloseable containers) {
    this.stack = stack;
    this.dataDir = dataDir;
    this.deleteDataDir = deleteDataDir;
    this.containers = containers;
  }

  /**
   * Starts Testcontainers when {@code -Dkiln.testcontainers=true} and Docker answers, else the
   * embedded services on the fast settings of tests, then migrates the template database.
   */
  static SharedStack start() {
    return start(false);
  }

  /**
   * As {@link #start()}; {@code durable} starts the embedded PostgreSQL and S3 as a deployment runs
   * them ({@code fsync} and {@code synchronous_commit} on), for benchmarks.
   */
  static SharedStack start(boolean durable) {
    Path dataDir = createDataDir();
    SharedStack shared;
    if (Boolean.getBoolean("kiln.testcontainers") && ContainerStack.dockerAvailable()) {
      ContainerStack containers = ContainerStack.start();
      shared =
          new SharedStack(
              EmbeddedStack.start(containers.options(dataDir)), dataDir, true, containers);
    } else {
      shared =
          new SharedStack(
              EmbeddedStack.start(
                  durable
                      ? StackOptions.embeddedAt(dataDir).withDurableStorage()
                      : StackOptions.embeddedAt(dataDir)),
              dataDir,
              true,
              null);
    }
    try {
      shared.createTemplate();
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
    return shared;
  }

  EmbeddedStack stack() {
    return stack;
  }

  Path dataDir() {
    return dataDir;
  }

  /** Creates {@code database} as a copy of the migrated template. */
  synchronized void createDatabaseFromTemplate(String database) {
    execute(
        stack.postgres().jdbcUrl("postgres"),
        "CREATE DATABASE " + database + " TEMPLATE " + TEMPLATE_DATABASE);
  }

  /** Drops {@code database}, disconnecting whatever still uses it. */
  void dropDatabase(String database) {
    execute(
        stack.postgres().jdbcUrl("postgres"),
        "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @Override
  public void close() {
    stack.close();
    if (containers != null) {
      try {
        containers.close();
      } catch (Exception e) {
        LOG.warn("Could not stop containers", e);
      }
    }
    if (deleteDataDir) {
      Trees.delete(dataDir);
    }
  }

  private void createTemplate() {
    long started = System.nanoTime();
    PostgresEndpoint postgres = stack.postgres();
    execute(postgres.jdbcUrl("postgres"), "DROP DATABASE IF EXISTS " + TEMPLATE_DATABASE);
    execute(postgres.jdbcUrl("postgres"), "CREATE DATABASE " + TEMPLATE_DATABASE);
    int applied = 0;
    if (Thread.currentThread().getContextClassLoader().getResource(MIGRATIONS) != null) {
      applied =
          Flyway.configure()
              .dataSource(postgres.jdbcUrl(TEMPLATE_DATABASE), postgres.user(), postgres.password())
              .locations("classpath:" + MIGRATIONS)
              .load()
              .migrate()
              .migrationsExecuted;
    }
    LOG.info(
        "Template database migrated ({} migrations) in {} ms",
        applied,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private void execute(String jdbcUrl, String sql) {
    PostgresEndpoint postgres = stack.postgres();
    try (Connection connection =
            DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("failed: " + sql, e);
    }
  }

  /**
   * {@code target/kiln-test-stack-<pid>-<n>} when run from a Maven module, else in the temporary
   * directory; {@code n} counts the stacks this JVM started (a test run's and, say, a benchmark's
   * own). Removes what JVMs that were killed left behind.
   */
  private static Path createDataDir() {
    try {
      Path target = Path.of("target");
      Path parent =
          Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
      removeAbandoned(parent);
      Path dir =
          parent.resolve(
              DIR_PREFIX + ProcessHandle.current().pid() + "-" + STARTS.incrementAndGet());
      Trees.delete(dir);
      return Files.createDirectories(dir).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the test stack directory", e);
    }
  }

  private static void removeAbandoned(Path parent) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      children
          .filter(path -> path.getFileName().toString().startsWith(DIR_PREFIX))
          .filter(path -> !ownerAlive(path))
          .forEach(Trees::delete);
    }
  }

  private static boolean ownerAlive(Path dir) {
    try {
      String owner = dir.getFileName().toString().substring(DIR_PREFIX.length());
      long pid = Long.parseLong(owner.split("-", 2)[0]);
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
