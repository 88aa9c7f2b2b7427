package dev.kiln.testkit;

import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.S3Endpoint;
import java.nio.file.Path;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The test stack outside JUnit, for benchmarks and other {@code main} methods: the same services,
 * server settings, migrated database and buckets a test class gets from {@link KilnStackExtension},
 * started for one run. {@link #close()} stops the services and deletes their data. Thread-safe.
 */
public final class StandaloneStack implements TestStack, AutoCloseable {
  private final SharedStack shared;
  private final ClassStack stack;

  private StandaloneStack(SharedStack shared, ClassStack stack) {
    this.shared = shared;
    this.stack = stack;
  }

  /**
   * Starts the services on the fast settings of tests ({@code fsync} off) and prepares a database
   * and buckets for {@code user} (its name).
   */
  public static StandaloneStack start(String user) {
    return start(user, false);
  }

  /**
   * As {@link #start(String)}; {@code durable} runs the embedded PostgreSQL and S3 as production
   * does ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: every commit
   * is on disk before it is acknowledged), which benchmarks measure.
   */
  public static StandaloneStack start(String user, boolean durable) {
    SharedStack shared = SharedStack.start(durable);
    try {
      return new StandaloneStack(shared, ClassStack.create(shared, user));
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
  }

  /**
   * Where the services keep their data ({@code postgres/}, {@code redis/}, {@code s3/}); a server
   * process can be found by it.
   */
  public Path dataDir() {
    return shared.dataDir();
  }

  @Override
  public String jdbcUrl() {
    return stack.jdbcUrl();
  }

  @Override
  public String dbUser() {
    return stack.dbUser();
  }

  @Override
  public String dbPassword() {
    return stack.dbPassword();
  }

  @Override
  public DataSource dataSource() {
    return stack.dataSource();
  }

  @Override
  public String redisUri() {
    return stack.redisUri();
  }

  @Override
  public S3Endpoint s3() {
    return stack.s3();
  }

  @Override
  public String uploadsBucket() {
    return stack.uploadsBucket();
  }

  @Override
  public String resultsBucket() {
    return stack.resultsBucket();
  }

  @Override
  public S3Client s3Client() {
    return stack.s3Client();
  }

  @Override
  public Path tempDir() {
    return stack.tempDir();
  }

  @Override
  public EmbeddedStack stack() {
    return shared.stack();
  }

  /** Drops the database, stops the services and deletes everything under {@link #dataDir()}. */
  @Override
  public void close() {
    try {
      stack.close();
    } finally {
      shared.close();
    }
  }
}
