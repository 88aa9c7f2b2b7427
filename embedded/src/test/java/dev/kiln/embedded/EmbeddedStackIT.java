package dev.kiln.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedStackIT {

  @TempDir Path dataDir;

  @Test
  void startsAllThreeServicesAndKeepsDataAcrossRestarts() throws Exception {
    PostgresEndpoint firstPostgres;
    String firstRedis;
    S3Endpoint firstS3;
    try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(dataDir))) {
      firstPostgres = stack.postgres();
      firstRedis = stack.redisUri();
      firstS3 = stack.s3();
      assertThat(firstPostgres.database()).isEqualTo("kiln");
      assertThat(firstPostgres.jdbcUrl())
          .startsWith("jdbc:postgresql://127.0.0.1:")
          .endsWith("/kiln");
      assertThat(firstRedis).matches("redis://127\\.0\\.0\\.1:\\d+");
      assertThat(firstS3.region()).isEqualTo("local-1");

      execute(
          firstPostgres, "CREATE TABLE kept (id int primary key)", "INSERT INTO kept VALUES (7)");
      assertThat(redis(firstRedis, "PING")).isEqualTo("+PONG");
      try (S3Client s3 = S3ServiceIT.client(firstS3)) {
        s3.createBucket(b -> b.bucket("kiln-kept"));
        s3.putObject(b -> b.bucket("kiln-kept").key("k"), RequestBody.fromString("v"));
      }
    }

    assertThatThrownBy(() -> execute(firstPostgres, "SELECT 1")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> redis(firstRedis, "PING")).isInstanceOf(IOException.class);

    try (EmbeddedStack again = EmbeddedStack.start(StackOptions.embeddedAt(dataDir))) {
      assertThat(queryInt(again.postgres(), "SELECT id FROM kept")).isEqualTo(7);
      try (S3Client s3 = S3ServiceIT.client(again.s3())) {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("kiln-kept").key("k")).asUtf8String())
            .isEqualTo("v");
      }
      again.close();
      again.close();
    }
  }

  @Test
  void whatRunsOnTheStackStopsFirstLastRegisteredFirstWhileTheDatabaseIsUp() {
    List<String> stopped = new ArrayList<>();
    EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(dataDir.resolve("users")));
    PostgresEndpoint postgres = stack.postgres();
    stack.stopFirst(() -> stopped.add("api, database " + queryIntUnchecked(postgres, "SELECT 1")));
    stack.stopFirst(
        () -> stopped.add("scheduler, database " + queryIntUnchecked(postgres, "SELECT 1")));

    stack.close();
    stack.stopFirst(() -> stopped.add("late"));

    assertThat(stopped).containsExactly("scheduler, database 1", "api, database 1", "late");
    assertThatThrownBy(() -> execute(postgres, "SELECT 1")).isInstanceOf(SQLException.class);
  }

  @Test
  void usesExternalServicesInsteadOfStartingThem() {
    try (EmbeddedStack real =
        EmbeddedStack.start(StackOptions.embeddedAt(dataDir.resolve("real")))) {
      StackOptions options =
          StackOptions.embeddedAt(dataDir.resolve("unused"))
              .withExternalPostgres(real.postgres().jdbcUrl() + "?sslmode=disable", "postgres", "x")
              .withExternalRedis(real.redisUri())
              .withExternalS3(real.s3().endpoint(), "kiln", "kiln-secret-key", "local-1");
      try (EmbeddedStack external = EmbeddedStack.start(options)) {
        assertThat(external.postgres().port()).isEqualTo(real.postgres().port());
        assertThat(external.postgres().database()).isEqualTo("kiln");
        assertThat(external.redisUri()).isEqualTo(real.redisUri());
        assertThat(external.s3().endpoint()).isEqualTo(real.s3().endpoint());
      }
      assertThat(dataDir.resolve("unused")).doesNotExist();
      assertThat(queryIntUnchecked(real.postgres(), "SELECT 1")).isEqualTo(1);
    }
  }

  @Test
  void aDurableStackFlushesEveryCommitAndATestStackDoesNot() {
    try (PostgresService durable = PostgresService.start(dataDir.resolve("durable"), true);
        PostgresService fast = PostgresService.start(dataDir.resolve("fast"), false)) {
      assertThat(List.of(durable.setting("fsync"), durable.setting("synchronous_commit")))
          .containsExactly("on", "on");
      assertThat(durable.setting("full_page_writes")).isEqualTo("on");
      assertThat(List.of(fast.setting("fsync"), fast.setting("synchronous_commit")))
          .containsExactly("off", "off");
    }
    assertThat(StackOptions.embeddedAt(dataDir).durableStorage()).isFalse();
    assertThat(StackOptions.embeddedAt(dataDir).withDurableStorage().durableStorage()).isTrue();
  }

  @Test
  void refusesAClusterOfAnotherPostgresVersionNamingTheDirectory() throws Exception {
    assertThat(PostgresService.binariesMajorVersion()).isPresent();
    Path old = Files.createDirectories(dataDir.resolve("old-cluster"));
    Files.writeString(old.resolve("PG_VERSION"), "9\n");

    assertThatThrownBy(() -> PostgresService.start(old, true))
        .isInstanceOfSatisfying(
            IncompatibleDataException.class, e -> assertThat(e.directory()).isEqualTo(old))
        .hasMessageContaining("PostgreSQL 9 cluster");
  }

  @Test
  void parsesJdbcUrls() {
    PostgresEndpoint endpoint =
        PostgresEndpoint.fromJdbcUrl("jdbc:postgresql://db.internal/kiln?ssl=true", "u", "p");
    assertThat(endpoint).isEqualTo(new PostgresEndpoint("db.internal", 5432, "u", "p", "kiln"));
    assertThat(endpoint.jdbcUrl("other")).isEqualTo("jdbc:postgresql://db.internal:5432/other");
    assertThatThrownBy(
            () ->
                new StackOptions(
                    dataDir,
                    Optional.of("jdbc:mysql://x/y"),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    "local-1",
                    false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static void execute(PostgresEndpoint endpoint, String... statements) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  static int queryInt(PostgresEndpoint endpoint, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static int queryIntUnchecked(PostgresEndpoint endpoint, String sql) {
    try {
      return queryInt(endpoint, sql);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends one inline command and returns the first reply line. */
  static String redis(String redisUri, String command) throws IOException {
    java.net.URI uri = java.net.URI.create(redisUri);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}
