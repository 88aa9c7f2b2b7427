package dev.kiln.bench;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.Databases;
import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.PostgresEndpoint;
import dev.kiln.embedded.S3Endpoint;
import dev.kiln.embedded.StackOptions;
import dev.kiln.testkit.Trees;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * Real PostgreSQL, Redis and S3 on loopback for one benchmark run: the same {@link EmbeddedStack}
 * that local mode and the tests use, on a temporary directory (deleted on close), with the schema
 * migrated and the buckets made. Connections come from the same pool, configured the same way, as
 * the services use.
 */
public final class BenchServices implements AutoCloseable {
  private final EmbeddedStack stack;
  private final Path dir;
  private final S3Settings s3;
  private final ObjectStore store;
  private final ManagedDataSource pool;

  private BenchServices(EmbeddedStack stack, Path dir, S3Settings s3, ObjectStore store) {
    this.stack = stack;
    this.dir = dir;
    this.s3 = s3;
    this.store = store;
    PostgresEndpoint pg = stack.postgres();
    DataSourceFactory config = new DataSourceFactory();
    config.setDriverClass("org.postgresql.Driver");
    config.setUrl(pg.jdbcUrl());
    config.setUser(pg.user());
    config.setPassword(pg.password());
    this.pool = DatabaseFactory.pool(config, new MetricRegistry(), "bench");
  }

  public static BenchServices start() throws Exception {
    Path dir = Files.createTempDirectory("kiln-bench");
    EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(dir));
    S3Endpoint s3 = stack.s3();
    S3Settings settings =
        S3Settings.compatible(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey())
            .withBuckets("kiln-uploads-test", "kiln-results-test");
    ObjectStore store = ObjectStore.create(settings);
    store.ensureBucket(settings.uploadsBucket());
    store.ensureBucket(settings.resultsBucket());
    BenchServices services = new BenchServices(stack, dir, settings, store);
    Databases.migrate(services.dataSource());
    return services;
  }

  public DataSource dataSource() {
    return pool;
  }

  public PostgresEndpoint postgres() {
    return stack.postgres();
  }

  /** Where the S3 server is and the two buckets made on it. */
  public S3Settings s3() {
    return s3;
  }

  public Jdbi jdbi() {
    return Databases.jdbi(dataSource());
  }

  public String jdbcUrl() {
    return stack.postgres().jdbcUrl();
  }

  /** CPU used so far by this JVM, PostgreSQL (with its backends) and Redis. */
  ProcessCpu.Sample cpu() {
    return ProcessCpu.Sample.take(
        ProcessCpu.find(dir.resolve("postgres").toString()),
        ProcessCpu.find("127.0.0.1:" + redisPort()));
  }

  public int redisPort() {
    return URI.create(stack.redisUri()).getPort();
  }

  public String redisUri() {
    return stack.redisUri();
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

  /** Stops the servers and deletes their data. */
  @Override
  public void close() {
    try {
      pool.stop();
    } catch (Exception e) {
      System.err.println("could not close the connection pool: " + e);
    } finally {
      store.close();
      stack.close();
      Trees.delete(dir);
    }
  }
}
