package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.CuttableProxy;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API reaches PostgreSQL through a proxy the test cuts: while the database is unreachable the
 * API answers 503 problem+json with Retry-After, and 200 again once it is back.
 */
@ExtendWith(KilnStackExtension.class)
class OutageIT {
  private static CuttableProxy database;
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    URI jdbc = URI.create(stack.jdbcUrl().substring("jdbc:".length()));
    database = new CuttableProxy(jdbc.getHost(), jdbc.getPort());
    String viaProxy =
        stack.jdbcUrl().replace(":" + jdbc.getPort() + "/", ":" + database.port() + "/");
    api = ApiHarness.start(new ProxiedDatabase(stack, viaProxy));
  }

  @AfterAll
  static void stop() throws IOException {
    if (api != null) {
      api.close();
    }
    database.close();
  }

  @Test
  void answers503WithRetryAfterWhilePostgresIsUnreachableAndRecovers() {
    String token = api.newUser();
    assertThat(api.get("/api/v1/jobs", token).status()).isEqualTo(200);

    assertThat(database.accepted()).as("connections through the proxy").isPositive();

    database.cut(true);
    Answer down =
        api.post(
            "/api/v1/auth/signup",
            null,
            Map.of(
                "email",
                "late-" + UUID.randomUUID() + "@example.com",
                "password",
                ApiHarness.PASSWORD));

    assertThat(down.status()).as(down.raw().body()).isEqualTo(503);
    assertThat(down.contentType()).startsWith("application/problem+json");
    assertThat(down.header("Retry-After")).isEqualTo("5");
    assertThat(down.text("detail")).startsWith("PostgreSQL is unavailable");

    database.cut(false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/jobs", token).status() == 200);
  }

  /** The stack with its JDBC URL pointing at the proxy. */
  private record ProxiedDatabase(TestStack real, String jdbcUrl) implements TestStack {
    @Override
    public String dbUser() {
      return real.dbUser();
    }

    @Override
    public String dbPassword() {
      return real.dbPassword();
    }

    @Override
    public javax.sql.DataSource dataSource() {
      return real.dataSource();
    }

    @Override
    public String redisUri() {
      return real.redisUri();
    }

    @Override
    public dev.kiln.embedded.S3Endpoint s3() {
      return real.s3();
    }

    @Override
    public String uploadsBucket() {
      return real.uploadsBucket();
    }

    @Override
    public String resultsBucket() {
      return real.resultsBucket();
    }

    @Override
    public software.amazon.awssdk.services.s3.S3Client s3Client() {
      return real.s3Client();
    }

    @Override
    public java.nio.file.Path tempDir() {
      return real.tempDir();
    }

    @Override
    public dev.kiln.embedded.EmbeddedStack stack() {
      return real.stack();
    }
  }
}
