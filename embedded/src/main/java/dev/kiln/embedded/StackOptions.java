package dev.kiln.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link EmbeddedStack} starts: every service that has no external address is started
 * in-process with its data under {@code dataDir}.
 *
 * @param dataDir parent of {@code postgres/}, {@code redis/} and {@code s3/}
 * @param externalJdbcUrl an existing PostgreSQL, e.g. {@code jdbc:postgresql://db:5432/kiln}
 * @param externalDbUser user for {@code externalJdbcUrl} (default {@code postgres})
 * @param externalDbPassword password for {@code externalJdbcUrl}
 * @param externalRedisUri an existing Redis, e.g. {@code redis://cache:6379}
 * @param externalS3Endpoint an existing S3-compatible endpoint (path-style)
 * @param s3AccessKey access key (default {@link S3Service#DEFAULT_ACCESS_KEY})
 * @param s3SecretKey secret key (default {@link S3Service#DEFAULT_SECRET_KEY})
 * @param region S3 signing region
 * @param durableStorage the embedded PostgreSQL and S3 flush every commit and every object to disk
 *     before acknowledging it ({@code fsync}, {@code synchronous_commit} on: what a deployment
 *     needs); false keeps the fast settings of tests, where a crash can lose the last writes
 */
public record StackOptions(
    Path dataDir,
    Optional<String> externalJdbcUrl,
    Optional<String> externalDbUser,
    Optional<String> externalDbPassword,
    Optional<String> externalRedisUri,
    Optional<URI> externalS3Endpoint,
    Optional<String> s3AccessKey,
    Optional<String> s3SecretKey,
    String region,
    boolean durableStorage) {

  /** The region of every embedded stack. */
  public static final String LOCAL_REGION = "local-1";

  public StackOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(externalJdbcUrl, "externalJdbcUrl");
    Objects.requireNonNull(externalDbUser, "externalDbUser");
    Objects.requireNonNull(externalDbPassword, "externalDbPassword");
    Objects.requireNonNull(externalRedisUri, "externalRedisUri");
    Objects.requireNonNull(externalS3Endpoint, "externalS3Endpoint");
    Objects.requireNonNull(s3AccessKey, "s3AccessKey");
    Objects.requireNonNull(s3SecretKey, "s3SecretKey");
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    externalJdbcUrl.ifPresent(
        url -> {
          if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                "externalJdbcUrl must start with jdbc:postgresql://, got " + url);
          }
        });
  }

  /**
   * Everything embedded under {@code dataDir}, region {@value #LOCAL_REGION}, on the fast settings
   * of tests; {@link #withDurableStorage()} for data that must survive a crash.
   */
  public static StackOptions embeddedAt(Path dataDir) {
    return new StackOptions(
        dataDir,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        LOCAL_REGION,
        false);
  }

  /** A copy whose embedded PostgreSQL and S3 acknowledge a write only once it is on disk. */
  public StackOptions withDurableStorage() {
    return new StackOptions(
        dataDir,
        externalJdbcUrl,
        externalDbUser,
        externalDbPassword,
        externalRedisUri,
        externalS3Endpoint,
        s3AccessKey,
        s3SecretKey,
        region,
        true);
  }

  /** A copy that uses an existing PostgreSQL instead of the embedded one. */
  public StackOptions withExternalPostgres(String jdbcUrl, String user, String password) {
    return new StackOptions(
        dataDir,
        Optional.of(jdbcUrl),
        Optional.of(user),
        Optional.of(password),
        externalRedisUri,
        externalS3Endpoint,
        s3AccessKey,
        s3SecretKey,
        region,
        durableStorage);
  }

  /** A copy that uses an existing Redis instead of the embedded one. */
  public StackOptions withExternalRedis(String redisUri) {
    return new StackOptions(
        dataDir,
        externalJdbcUrl,
        externalDbUser,
        externalDbPassword,
        Optional.of(redisUri),
        externalS3Endpoint,
        s3AccessKey,
        s3SecretKey,
        region,
        durableStorage);
  }

  /** A copy that uses an existing S3-compatible endpoint instead of the embedded one. */
  public StackOptions withExternalS3(
      URI endpoint, String accessKey, String secretKey, String signingRegion) {
    return new StackOptions(
        dataDir,
        externalJdbcUrl,
        externalDbUser,
        externalDbPassword,
        externalRedisUri,
        Optional.of(endpoint),
        Optional.of(accessKey),
        Optional.of(secretKey),
        signingRegion,
        durableStorage);
  }
}
