package dev.kiln.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server as a child process on a free loopback port, without persistence (Redis is a
 * rebuildable index of what PostgreSQL holds). Uses {@code redis-server} from the {@code PATH}
 * where there is one, else the binary bundled with embedded-redis; in a session of its own (through
 * {@code setsid} where there is one), so that a Ctrl-C in the terminal reaches only the JVM, which
 * stops Redis after what uses it. Thread-safe.
 */
public final class RedisService implements AutoCloseable, Supervised {

  private static final Logger LOG = LoggerFactory.getLogger(RedisService.class);
  private static final long READY_TIMEOUT_MS = 15_000;

  private final Path dataDir;
  private final Path executable;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Process process;
  private volatile OrphanGuard guard;

  private RedisService(Path dataDir, Path executable, int port) {
    this.dataDir = dataDir;
    this.executable = executable;
    this.port = port;
  }

  /** Starts Redis with its working directory (log, nothing else) in {@code dataDir}. */
  public static RedisService start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      return start(dataDir, findExecutable(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException("could not find redis-server for " + dataDir, e);
    }
  }

  /** Starts the given {@code redis-server} binary with its working directory in {@code dataDir}. */
  static RedisService start(Path dataDir, Path executable) {
    long started = System.nanoTime();
    try {
      Files.createDirectories(dataDir);
      RedisService service = new RedisService(dataDir, executable, FreePorts.pick());
      service.launch();
      LOG.info(
          "Redis ({}) on {} ready in {} ms",
          executable,
          service.uri(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      return service;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Redis in " + dataDir, e);
    }
  }

  /** Starts {@code redis-server} on this service's port and waits until it answers PING. */
  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    // In a session of its own, redis-server does not get the terminal's Ctrl-C: it stops after
    // what uses it, when this JVM stops it (or its watchdog does).
    onPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
    command.addAll(
        List.of(
            executable.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dataDir.toAbsolutePath().toString(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            dataDir.resolve("redis.log").toAbsolutePath().toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.out").toFile()))
            .start();
    process.getOutputStream().close();
    guard = OrphanGuard.signalWhenJvmDies(process.pid(), "TERM", "redis-server");
    try {
      awaitReady();
    } catch (RuntimeException e) {
      stopProcess();
      throw e;
    }
  }

  @Override
  public String name() {
    return "Redis";
  }

  @Override
  public boolean isRunning() {
    return closed.get() || process.isAlive();
  }

  /**
   * Starts {@code redis-server} again on the same port after it died; it starts empty, as Redis is
   * an index that its users rebuild.
   */
  @Override
  public synchronized String restart() {
    if (closed.get()) {
      return "closed";
    }
    guard.close();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Redis in " + dataDir, e);
    }
    return "pid " + process.pid() + " on port " + port + ", empty";
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Process id of {@code redis-server}. */
  public long pid() {
    return process.pid();
  }

  /** Stops the server; idempotent. */
  @Override
  public synchronized void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    stopProcess();
  }

  private void stopProcess() {
    try {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      guard.close();
    }
  }

  /** {@code redis-server} on the PATH, else the embedded-redis binary unpacked under dataDir. */
  static Path findExecutable(Path dataDir) throws IOException {
    Optional<Path> onPath = onPath("redis-server");
    if (onPath.isPresent()) {
      return onPath.get();
    }
    return bundledExecutable(dataDir);
  }

  /** The Redis 6.2 binary shipped inside embedded-redis, unpacked under {@code dataDir/bin}. */
  static Path bundledExecutable(Path dataDir) throws IOException {
    Path binDir = Files.createDirectories(dataDir.resolve("bin"));
    File binary = ExecutableProvider.newJarResourceProvider(binDir.toFile()).get();
    return binary.toPath();
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private void awaitReady() {
    long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
    IOException last = null;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with code " + process.exitValue() + " before it was ready");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = in.readNBytes(7);
        if (new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Redis", e);
      }
    }
    throw new IllegalStateException(
        "Redis on port " + port + " not ready after " + READY_TIMEOUT_MS + " ms", last);
  }
}
