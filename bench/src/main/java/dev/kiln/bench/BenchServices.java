package dev.kiln.bench;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.Databases;
import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.embedded.S3Endpoint;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.testkit.StandaloneStack;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.net.URI;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * Real PostgreSQL, Redis and S3 on loopback for one benchmark run: the test kit's {@link
 * StandaloneStack} (the services, server settings and migrated schema the tests use), whose data is
 * deleted on close, plus the clients the benchmarks take. Connections come from the same pool,
 * configured the same way, as the services use.
 */
public final class BenchServices implements AutoCloseable {
  private final StandaloneStack stack;
  private final S3Settings s3;
  private final ObjectStore store;
  private final ManagedDataSource pool;

  private BenchServices(StandaloneStack stack) {
    this.stack = stack;
    S3Endpoint endpoint = stack.s3();
    this.s3 =
        S3Settings.compatible(
                endpoint.endpoint(), endpoint.region(), endpoint.accessKey(), endpoint.secretKey())
            .withBuckets(stack.uploadsBucket(), stack.resultsBucket());
    this.store = ObjectStore.create(s3);
    DataSourceFactory config = new DataSourceFactory();
    config.setDriverClass("org.postgresql.Driver");
    config.setUrl(stack.jdbcUrl());
    config.setUser(stack.dbUser());
    config.setPassword(stack.dbPassword());
    this.pool = DatabaseFactory.pool(config, new MetricRegistry(), "bench");
  }

  /**
   * Starts the stack as production runs PostgreSQL and S3 (every commit and object on disk before
   * it is acknowledged) unless {@code -Dbench.durable=false}.
   */
  public static BenchServices start() {
    return start(Boolean.parseBoolean(System.getProperty("bench.durable", "true")));
  }

  /**
   * Starts the stack; {@code durable} turns on {@code fsync} and {@code synchronous_commit} (as
   * production runs), false leaves the fast settings of tests.
   */
  public static BenchServices start(boolean durable) {
    StandaloneStack stack = StandaloneStack.start("bench", durable);
    try {
      return new BenchServices(stack);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  public String jdbcUrl() {
    return stack.jdbcUrl();
  }

  public String dbUser() {
    return stack.dbUser();
  }

  public String dbPassword() {
    return stack.dbPassword();
  }

  /** Where the S3 server is and the two buckets made on it. */
  public S3Settings s3() {
    return s3;
  }

  /**
   * PostgreSQL's durability settings as the server reports them, e.g. {@code fsync=on,
   * synchronous_commit=on, full_page_writes=on}.
   */
  public String durability() {
    return jdbi()
        .withHandle(
            handle ->
                String.join(
                    ", ",
                    handle
                        .createQuery(
                            "select name || '=' || setting from pg_settings where name in"
                                + " ('fsync', 'synchronous_commit', 'full_page_writes')"
                                + " order by name")
                        .mapTo(String.class)
                        .list()));
  }

  public Jdbi jdbi() {
    return Databases.jdbi(dataSource());
  }

  /** CPU used so far by this JVM, PostgreSQL (with its backends) and Redis. */
  ProcessCpu.Sample cpu() {
    return ProcessCpu.Sample.take(
        ProcessCpu.find(stack.dataDir().resolve("postgres").toString()),
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

  /** A directory of this run's own, deleted on close. */
  public Path dir() {
    return stack.tempDir();
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
    }
  }
}
