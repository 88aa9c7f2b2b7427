package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A stack started outside JUnit's extension, as a benchmark starts it, and removed by close. */
class StandaloneStackIT {

  @Test
  void givesAMigratedDatabaseAndBucketsAndLeavesNothingBehind() throws Exception {
    Path dataDir;
    try (StandaloneStack stack = StandaloneStack.start("standalone-it")) {
      dataDir = stack.dataDir();
      try (Connection connection = stack.dataSource().getConnection();
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isPositive();
      }
      assertThat(
              stack
                  .s3Client()
                  .headBucket(b -> b.bucket(stack.uploadsBucket()))
                  .sdkHttpResponse()
                  .isSuccessful())
          .isTrue();
      assertThat(Redis.command(stack.redisUri(), "PING")).isEqualTo("+PONG");
      assertThat(stack.tempDir()).startsWith(dataDir).isDirectory();
      assertThat(Files.isDirectory(dataDir.resolve("postgres"))).isTrue();
    }
    assertThat(dataDir).doesNotExist();
  }
}
