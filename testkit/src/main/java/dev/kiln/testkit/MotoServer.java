package dev.kiln.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code moto_server} child process on loopback, the AWS control-plane emulator (EC2, Auto
 * Scaling, ELBv2, S3) that integration tests talk to.
 *
 * <p>{@link #shared()} starts one per JVM on first use and stops it (and its children) at JVM exit.
 * The server keeps state for the life of the process, so tests isolate themselves by the names they
 * create (or call {@link #reset()} when they run alone). If {@code moto_server} is not on {@code
 * PATH}, starting fails with an {@link IllegalStateException} that says how to install it: a test
 * that needs it fails, it never skips. Thread-safe.
 */
public final class MotoServer implements AutoCloseable {

  /** Access key and secret that moto accepts; any non-empty pair works. */
  public static final String ACCESS_KEY = "testing";

  public static final String SECRET_KEY = "testing";

  /** The region tests use. */
  public static final String REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static MotoServer shared;

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The JVM-wide server, started on first call and stopped when the JVM exits. */
  public static synchronized MotoServer shared() {
    if (shared == null || !shared.process.isAlive()) {
      MotoServer started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "moto-server-stop"));
      shared = started;
    }
    return shared;
  }

  /** Starts a new server on a free loopback port and waits until it answers. */
  public static MotoServer start() {
    return start(System.getenv("PATH"));
  }

  /**
   * Starts a new server found on {@code searchPath} (a PATH-style list of folders).
   *
   * @throws IllegalStateException if no {@code moto_server} is there, or it does not answer
   */
  public static MotoServer start(String searchPath) {
    Path executable =
        findOnPath(searchPath, "moto_server")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "moto_server is not on PATH; install it with"
                            + " `pip install 'moto[server]'` (PATH="
                            + searchPath
                            + ")"));
    int port = freePort();
    try {
      Path log = Files.createTempFile("moto-server-", ".log");
      Process process =
          new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      MotoServer server = new MotoServer(process, port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + executable, e);
    }
  }

  /** The endpoint to pass to SDK clients as {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** Whether the server process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Forgets every resource the server holds (all services, all regions). */
  public void reset() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) endpoint().resolve("/moto-api/reset").toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(10_000);
      int status = connection.getResponseCode();
      connection.disconnect();
      if (status != 200) {
        throw new IllegalStateException("moto_server reset answered HTTP " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reset moto_server at " + endpoint(), e);
    }
  }

  /** Stops the server and every process it started, and deletes its log. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // A log left in the temporary directory harms nothing.
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String tail = tail();
        close();
        throw new IllegalStateException(
            "moto_server exited with " + process.exitValue() + ": " + tail);
      }
      if (answers()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
    }
    String tail = tail();
    close();
    throw new IllegalStateException(
        "moto_server did not answer on port " + port + " within " + START_TIMEOUT + ": " + tail);
  }

  private boolean answers() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) endpoint().resolve("/moto-api/").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2_000);
      int status = connection.getResponseCode();
      connection.disconnect();
      return status > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    try {
      String text = Files.readString(log);
      return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static Optional<Path> findOnPath(String path, String name) {
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
