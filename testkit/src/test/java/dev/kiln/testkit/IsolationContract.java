package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Run by several test classes in one JVM: whichever runs second must not see what the first left in
 * PostgreSQL, Redis or its buckets.
 */
abstract class IsolationContract {

  /** Databases and buckets handed to classes that ran earlier in this JVM. */
  static final Set<String> HANDED_OUT = ConcurrentHashMap.newKeySet();

  static void leaveTraces(TestStack stack, Class<?> owner) throws Exception {
    assertThat(HANDED_OUT)
        .doesNotContain(stack.jdbcUrl(), stack.uploadsBucket(), stack.resultsBucket());
    assertThat(Redis.command(stack.redisUri(), "EXISTS owner"))
        .as("Redis is flushed before each class")
        .isEqualTo(":0");
    assertThat(stack.s3Client().listObjectsV2(b -> b.bucket(stack.uploadsBucket())).contents())
        .isEmpty();

    try (Connection connection = stack.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO probe (owner) VALUES ('" + owner.getSimpleName() + "')");
    }
    assertThat(Redis.command(stack.redisUri(), "SET owner " + owner.getSimpleName()))
        .isEqualTo("+OK");
    stack
        .s3Client()
        .putObject(
            b -> b.bucket(stack.uploadsBucket()).key("owner"),
            RequestBody.fromString(owner.getSimpleName()));
    HANDED_OUT.addAll(List.of(stack.jdbcUrl(), stack.uploadsBucket(), stack.resultsBucket()));
  }

  abstract TestStack stack();

  @Test
  void seesOnlyTheMigratedSeedAndItsOwnRows() throws Exception {
    List<String> owners = new ArrayList<>();
    try (Connection connection = stack().dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT owner FROM probe ORDER BY id")) {
      while (rows.next()) {
        owners.add(rows.getString(1));
      }
    }
    assertThat(owners).containsExactly("seed", getClass().getSimpleName());
  }

  @Test
  void seesOnlyItsOwnRedisKeysAndObjects() throws Exception {
    assertThat(Redis.command(stack().redisUri(), "DBSIZE")).isEqualTo(":1");
    assertThat(
            stack()
                .s3Client()
                .getObjectAsBytes(b -> b.bucket(stack().uploadsBucket()).key("owner"))
                .asUtf8String())
        .isEqualTo(getClass().getSimpleName());
  }
}
