package dev.kiln.testkit;

import dev.kiln.embedded.S3Service;
import dev.kiln.embedded.StackOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 15, Redis 7 and MinIO in Docker, for runs that want the server versions of RDS and
 * ElastiCache rather than embedded binaries. Not thread-safe; started once per JVM.
 */
final class ContainerStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerStack.class);

  private final GenericContainer<?> postgres;
  private final GenericContainer<?> redis;
  private final GenericContainer<?> minio;

  private ContainerStack(
      GenericContainer<?> postgres, GenericContainer<?> redis, GenericContainer<?> minio) {
    this.postgres = postgres;
    this.redis = redis;
    this.minio = minio;
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed by close()
  static ContainerStack start() {
    long started = System.nanoTime();
    GenericContainer<?> postgres =
        new GenericContainer<>(DockerImageName.parse("postgres:15"))
            .withEnv("POSTGRES_PASSWORD", "postgres")
            .withEnv("POSTGRES_DB", "kiln")
            .withExposedPorts(5432)
            .waitingFor(
                Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2)
                    .withStartupTimeout(Duration.ofMinutes(2)));
    GenericContainer<?> redis =
        new GenericContainer<>(DockerImageName.parse("redis:7"))
            .withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    GenericContainer<?> minio =
        new GenericContainer<>(DockerImageName.parse("minio/minio"))
            .withCommand("server", "/data")
            .withEnv("MINIO_ROOT_USER", S3Service.DEFAULT_ACCESS_KEY)
            .withEnv("MINIO_ROOT_PASSWORD", S3Service.DEFAULT_SECRET_KEY)
            .withEnv("MINIO_REGION", StackOptions.LOCAL_REGION)
            .withExposedPorts(9000)
            .waitingFor(Wait.forHttp("/minio/health/live").forPort(9000));
    ContainerStack stack = new ContainerStack(postgres, redis, minio);
    try {
      postgres.start();
      redis.start();
      minio.start();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    LOG.info("Containers ready in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
    return stack;
  }

  /** Options that point an {@code EmbeddedStack} at these containers. */
  StackOptions options(Path dataDir) {
    return StackOptions.embeddedAt(dataDir)
        .withExternalPostgres(
            "jdbc:postgresql://"
                + postgres.getHost()
                + ":"
                + postgres.getMappedPort(5432)
                + "/kiln",
            "postgres",
            "postgres")
        .withExternalRedis("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379))
        .withExternalS3(
            URI.create("http://" + minio.getHost() + ":" + minio.getMappedPort(9000)),
            S3Service.DEFAULT_ACCESS_KEY,
            S3Service.DEFAULT_SECRET_KEY,
            StackOptions.LOCAL_REGION);
  }

  @Override
  public void close() {
    minio.stop();
    redis.stop();
    postgres.stop();
  }
}
