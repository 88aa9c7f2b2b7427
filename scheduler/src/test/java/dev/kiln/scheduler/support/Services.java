package dev.kiln.scheduler.support;

import dev.kiln.db.Databases;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * Real PostgreSQL (embedded binaries), Redis (the {@code redis-server} binary) and S3 (S3Proxy on a
 * temporary directory) for one test class.
 */
public final class Services implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Process redis;
  private final int redisPort;
  private final S3Proxy s3proxy;
  private final Path dir;
  private final ObjectStore store;

  private Services(
      EmbeddedPostgres postgres,
      Process redis,
      int redisPort,
      S3Proxy s3proxy,
      Path dir,
      ObjectStore store) {
    this.postgres = postgres;
    this.redis = redis;
    this.redisPort = redisPort;
    this.s3proxy = s3proxy;
    this.dir = dir;
    this.store = store;
  }

  public static Services start() throws Exception {
    Path dir = Files.createTempDirectory("kiln-sched-it");
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("max_connections", "200")
            .start();
    Databases.migrate(postgres.getPostgresDatabase());
    int redisPort = freePort();
    Process redis =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    Path blobs = Files.createDirectories(dir.resolve("s3"));
    int s3Port = freePort();
    S3Proxy s3proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
            .endpoint(URI.create("http://127.0.0.1:" + s3Port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test", "test-secret")
            .build();
    s3proxy.start();
    while (!s3proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    S3Settings settings =
        S3Settings.compatible(
                URI.create("http://127.0.0.1:" + s3Port), "us-east-1", "test", "test-secret")
            .withBuckets("kiln-uploads-test", "kiln-results-test");
    ObjectStore store = ObjectStore.create(settings);
    store.ensureBucket(settings.uploadsBucket());
    store.ensureBucket(settings.resultsBucket());
    waitForRedis(redisPort);
    return new Services(postgres, redis, redisPort, s3proxy, dir, store);
  }

  private static void waitForRedis(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(10);
      }
    }
    throw new IllegalStateException("redis did not start on " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public Jdbi jdbi() {
    return Databases.jdbi(dataSource());
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String redisUri() {
    return "redis://127.0.0.1:" + redisPort;
  }

  public RedissonClient redisson() {
    return RedisClients.create(redisUri(), 16);
  }

  public ObjectStore store() {
    return store;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    store.close();
    s3proxy.stop();
    redis.destroy();
    redis.waitFor(5, TimeUnit.SECONDS);
    postgres.close();
  }
}
