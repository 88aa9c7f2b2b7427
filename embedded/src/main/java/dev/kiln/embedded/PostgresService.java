package dev.kiln.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (embedded binaries) on a free loopback port, its cluster in one
 * directory that survives restarts. Thread-safe.
 */
public final class PostgresService implements AutoCloseable {

  /** The database created on first start. */
  public static final String DATABASE = "kiln";

  /** Superuser of the embedded cluster; it trusts every local connection. */
  public static final String USER = "postgres";

  /** Sent by clients, ignored by the server (trust authentication). */
  public static final String PASSWORD = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresService.class);

  private final EmbeddedPostgres postgres;
  private final PostgresEndpoint endpoint;
  private final OrphanGuard guard;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresService(EmbeddedPostgres postgres, OrphanGuard guard) {
    this.postgres = postgres;
    this.guard = guard;
    this.endpoint = new PostgresEndpoint("127.0.0.1", postgres.getPort(), USER, PASSWORD, DATABASE);
  }

  /**
   * Starts PostgreSQL with its cluster in {@code dataDir} (created by {@code initdb} on first use,
   * reused afterwards) and creates the database {@value #DATABASE} if it is missing.
   */
  public static PostgresService start(Path dataDir) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
      stopLeftoverPostmaster(dataDir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(FreePorts.pick())
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(30))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "300")
              .start();
      OrphanGuard guard =
          postmasterPid(dataDir)
              .map(pid -> OrphanGuard.signalWhenJvmDies(pid, "INT", "postgres"))
              .orElseGet(OrphanGuard::none);
      PostgresService service = new PostgresService(postgres, guard);
      service.createDatabaseIfMissing(DATABASE);
      LOG.info(
          "PostgreSQL on {} ready in {} ms, data in {}",
          service.endpoint.jdbcUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          dataDir);
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
    }
  }

  /** Host, port, credentials and database {@value #DATABASE}. */
  public PostgresEndpoint endpoint() {
    return endpoint;
  }

  /** Creates {@code database} unless it exists; returns true if it was created. */
  public boolean createDatabaseIfMissing(String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      try (PreparedStatement exists =
          connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet rows = exists.executeQuery()) {
          if (rows.next()) {
            return false;
          }
        }
      }
      try (Statement create = connection.createStatement()) {
        create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
      }
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database, e);
    }
  }

  /** Stops the server (fast shutdown); idempotent. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("PostgreSQL did not stop cleanly", e);
    } finally {
      guard.close();
    }
  }

  /**
   * A postmaster left running by a JVM that was killed holds the data directory; stop it so that
   * this start can use the directory.
   */
  private static void stopLeftoverPostmaster(Path dataDir) {
    Optional<ProcessHandle> leftover =
        postmasterPid(dataDir)
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(
                process ->
                    process
                        .info()
                        .command()
                        .map(command -> command.contains("postgres"))
                        .orElse(false));
    leftover.ifPresent(
        process -> {
          LOG.warn("Stopping PostgreSQL (pid {}) left running on {}", process.pid(), dataDir);
          process.destroy();
          try {
            process.onExit().get(15, TimeUnit.SECONDS);
          } catch (Exception e) {
            process.destroyForcibly();
          }
        });
  }

  private static Optional<Long> postmasterPid(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
