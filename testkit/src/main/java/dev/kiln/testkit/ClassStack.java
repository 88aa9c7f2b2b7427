package dev.kiln.testkit;

import dev.kiln.embedded.EmbeddedStack;
import dev.kiln.embedded.PostgresEndpoint;
import dev.kiln.embedded.S3Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What one test class gets: a fresh database, emptied Redis, fresh buckets. Thread-safe. */
final class ClassStack implements TestStack, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClassStack.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final SharedStack shared;
  private final String database;
  private final PostgresEndpoint postgres;
  private final PGSimpleDataSource dataSource;
  private final S3Client s3Client;
  private final String uploadsBucket;
  private final String resultsBucket;
  private final Path tempDir;

  private ClassStack(SharedStack shared, String suffix) {
    this.shared = shared;
    EmbeddedStack stack = shared.stack();
    this.database = "kiln_test_" + suffix.replace('-', '_');
    PostgresEndpoint server = stack.postgres();
    this.postgres =
        new PostgresEndpoint(
            server.host(), server.port(), server.user(), server.password(), database);
    this.dataSource = new PGSimpleDataSource();
    dataSource.setUrl(postgres.jdbcUrl());
    dataSource.setUser(postgres.user());
    dataSource.setPassword(postgres.password());
    this.s3Client = s3Client(stack.s3());
    this.uploadsBucket = "kiln-uploads-" + suffix;
    this.resultsBucket = "kiln-results-" + suffix;
    try {
      this.tempDir = Files.createDirectories(shared.dataDir().resolve("tmp").resolve(suffix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the database, flushes Redis and creates the buckets. */
  static ClassStack create(SharedStack shared, String testClass) {
    long started = System.nanoTime();
    String suffix =
        SEQUENCE.incrementAndGet()
            + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    ClassStack stack = new ClassStack(shared, suffix);
    shared.createDatabaseFromTemplate(stack.database);
    long databaseReady = System.nanoTime();
    flushAll(shared.stack().redisUri());
    stack.s3Client.createBucket(b -> b.bucket(stack.uploadsBucket));
    stack.s3Client.createBucket(b -> b.bucket(stack.resultsBucket));
    LOG.info(
        "Fresh stack for {} in {} ms (database {} in {} ms)",
        testClass,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        stack.database,
        TimeUnit.NANOSECONDS.toMillis(databaseReady - started));
    return stack;
  }

  /** A path-style S3 client that does not retry, so a test sees the first failure. */
  static S3Client s3Client(S3Endpoint endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint.endpoint())
        .region(Region.of(endpoint.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Override
  public String jdbcUrl() {
    return postgres.jdbcUrl();
  }

  @Override
  public String dbUser() {
    return postgres.user();
  }

  @Override
  public String dbPassword() {
    return postgres.password();
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String redisUri() {
    return shared.stack().redisUri();
  }

  @Override
  public S3Endpoint s3() {
    return shared.stack().s3();
  }

  @Override
  public String uploadsBucket() {
    return uploadsBucket;
  }

  @Override
  public String resultsBucket() {
    return resultsBucket;
  }

  @Override
  public S3Client s3Client() {
    return s3Client;
  }

  @Override
  public Path tempDir() {
    return tempDir;
  }

  @Override
  public EmbeddedStack stack() {
    return shared.stack();
  }

  /** Drops the database and deletes the temporary directory; buckets stay until the JVM ends. */
  @Override
  public void close() {
    s3Client.close();
    try {
      shared.dropDatabase(database);
    } catch (RuntimeException e) {
      LOG.warn("Could not drop {}", database, e);
    }
    Trees.delete(tempDir);
  }

  private static void flushAll(String redisUri) {
    URI uri = URI.create(redisUri);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
      if (!reply.equals("+OK\r\n")) {
        throw new IllegalStateException("FLUSHALL on " + redisUri + " answered " + reply);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not flush Redis at " + redisUri, e);
    }
  }
}
