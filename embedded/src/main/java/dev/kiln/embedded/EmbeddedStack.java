package dev.kiln.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, Redis and S3 for one process: each either started here (data under {@link
 * StackOptions#dataDir()}) or taken from an external address. Services are started in parallel and
 * stopped by {@link #close()} or, failing that, by a JVM shutdown hook; {@link #supervise} starts a
 * server that died again. Thread-safe.
 */
public final class EmbeddedStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final PostgresEndpoint postgres;
  private final String redisUri;
  private final S3Endpoint s3;
  private final List<AutoCloseable> started;
  private final Deque<AutoCloseable> users = new ArrayDeque<>();
  private final Thread shutdownHook;
  private boolean closed;
  private ServiceSupervisor supervisor;

  private EmbeddedStack(
      PostgresEndpoint postgres, String redisUri, S3Endpoint s3, List<AutoCloseable> started) {
    this.postgres = postgres;
    this.redisUri = redisUri;
    this.s3 = s3;
    this.started = started;
    this.shutdownHook = new Thread(this::stopServices, "kiln-embedded-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts every service of {@code options} that is not external, in parallel. */
  public static EmbeddedStack start(StackOptions options) {
    Objects.requireNonNull(options, "options");
    long begin = System.nanoTime();
    CompletableFuture<PostgresService> postgres =
        options.externalJdbcUrl().isPresent()
            ? CompletableFuture.completedFuture(null)
            : async(
                "postgres",
                () ->
                    PostgresService.start(
                        options.dataDir().resolve("postgres"), options.durableStorage()));
    CompletableFuture<RedisService> redis =
        options.externalRedisUri().isPresent()
            ? CompletableFuture.completedFuture(null)
            : async("redis", () -> RedisService.start(options.dataDir().resolve("redis")));
    String accessKey = options.s3AccessKey().orElse(S3Service.DEFAULT_ACCESS_KEY);
    String secretKey = options.s3SecretKey().orElse(S3Service.DEFAULT_SECRET_KEY);
    CompletableFuture<S3Service> s3 =
        options.externalS3Endpoint().isPresent()
            ? CompletableFuture.completedFuture(null)
            : async(
                "s3",
                () ->
                    S3Service.start(
                        options.dataDir().resolve("s3"),
                        accessKey,
                        secretKey,
                        options.region(),
                        options.durableStorage()));
    try {
      CompletableFuture.allOf(postgres, redis, s3).join();
    } catch (CompletionException e) {
      closeQuietly(postgres);
      closeQuietly(redis);
      closeQuietly(s3);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("could not start the embedded stack", cause);
    }
    List<AutoCloseable> started = new ArrayList<>();
    PostgresEndpoint postgresEndpoint;
    if (postgres.join() != null) {
      started.add(postgres.join());
      postgresEndpoint = postgres.join().endpoint();
    } else {
      postgresEndpoint =
          PostgresEndpoint.fromJdbcUrl(
              options.externalJdbcUrl().orElseThrow(),
              options.externalDbUser().orElse(PostgresService.USER),
              options.externalDbPassword().orElse(""));
    }
    String redisUri;
    if (redis.join() != null) {
      started.add(redis.join());
      redisUri = redis.join().uri();
    } else {
      redisUri = options.externalRedisUri().orElseThrow();
    }
    S3Endpoint s3Endpoint;
    if (s3.join() != null) {
      started.add(s3.join());
      s3Endpoint = s3.join().endpoint();
    } else {
      s3Endpoint =
          new S3Endpoint(
              options.externalS3Endpoint().orElseThrow(), accessKey, secretKey, options.region());
    }
    EmbeddedStack stack = new EmbeddedStack(postgresEndpoint, redisUri, s3Endpoint, started);
    LOG.info(
        "Stack ready in {} ms: {} , {} , {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
        postgresEndpoint.jdbcUrl(),
        redisUri,
        s3Endpoint.endpoint());
    return stack;
  }

  public PostgresEndpoint postgres() {
    return postgres;
  }

  /** {@code redis://HOST:PORT}. */
  public String redisUri() {
    return redisUri;
  }

  public S3Endpoint s3() {
    return s3;
  }

  /**
   * The directory the embedded S3 keeps its objects in ({@code bucket/key} below it), or empty when
   * S3 is external.
   */
  public Optional<Path> s3Directory() {
    return started.stream()
        .filter(S3Service.class::isInstance)
        .map(service -> ((S3Service) service).rootDir())
        .findFirst();
  }

  /**
   * From now on, checks every {@code interval} that the PostgreSQL and Redis this stack started are
   * alive, and starts one whose process died again on the same port and data directory (one log
   * line each time), until the stack stops. Once per stack; external services are not watched.
   */
  public synchronized void supervise(Duration interval) {
    if (closed || supervisor != null) {
      return;
    }
    List<Supervised> servers =
        started.stream().filter(Supervised.class::isInstance).map(Supervised.class::cast).toList();
    supervisor = ServiceSupervisor.start(servers, interval);
  }

  /**
   * Registers something that runs on this stack (a server, a scheduler) to be stopped before the
   * services, the last registered first, whenever the stack stops: by {@link #close()} or by this
   * stack's shutdown hook. The JVM runs shutdown hooks side by side, so a hook of the caller's own
   * could not keep the database up until its users are done.
   */
  public synchronized void stopFirst(AutoCloseable user) {
    if (closed) {
      closeQuietly(user);
    } else {
      users.push(user);
    }
  }

  /**
   * Stops what was registered with {@link #stopFirst}, then what this stack started (not external
   * services); idempotent.
   */
  @Override
  public void close() {
    stopServices();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it finds the services stopped.
    }
  }

  private synchronized void stopServices() {
    if (closed) {
      return;
    }
    closed = true;
    while (!users.isEmpty()) {
      closeQuietly(users.pop());
    }
    closeQuietly(supervisor);
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (AutoCloseable service : started) {
      stops.add(CompletableFuture.runAsync(() -> closeQuietly(service)));
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    LOG.info("Stack stopped");
  }

  private static <T> CompletableFuture<T> async(String name, Supplier<T> start) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(start.get());
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "kiln-start-" + name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  private static void closeQuietly(CompletableFuture<? extends AutoCloseable> future) {
    if (!future.isCompletedExceptionally() && future.isDone()) {
      closeQuietly(future.join());
    }
  }

  private static void closeQuietly(AutoCloseable service) {
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (Exception e) {
      LOG.warn("Could not stop {}", service, e);
    }
  }
}
