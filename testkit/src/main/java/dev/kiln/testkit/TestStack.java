package dev.kiln.testkit;

import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.S3Endpoint;
import java.nio.file.Path;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real services one test class runs against: its own PostgreSQL database (migrated from {@code
 * classpath:db/migration}), an emptied Redis and its own S3 buckets, all on the stack shared by the
 * JVM. Resolved by {@link KilnStackExtension}.
 */
public interface TestStack {

  /** JDBC URL of this class's database. */
  String jdbcUrl();

  String dbUser();

  String dbPassword();

  /** Connections to this class's database (not pooled; wrap it in a pool where that matters). */
  DataSource dataSource();

  /** {@code redis://HOST:PORT}; flushed before each test class. */
  String redisUri();

  S3Endpoint s3();

  /** A bucket created for this class, e.g. {@code kiln-uploads-1-3f9a0c2e}. */
  String uploadsBucket();

  /** A bucket created for this class, e.g. {@code kiln-results-1-3f9a0c2e}. */
  String resultsBucket();

  /** Client for {@link #s3()}: path-style, no retries. Closed after the class. */
  S3Client s3Client();

  /** A directory of this class's own, deleted after the class. */
  Path tempDir();

  /** The stack shared by every test class of this JVM. */
  EmbeddedStack stack();
}
