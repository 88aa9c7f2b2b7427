package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KilnStackExtension.class)
class KilnStackExtensionIT extends IsolationContract {

  private static TestStack beforeAll;
  private final TestStack constructed;
  private TestStack beforeEach;

  KilnStackExtensionIT(TestStack stack) {
    this.constructed = stack;
  }

  @BeforeAll
  static void leaveTraces(TestStack stack) throws Exception {
    beforeAll = stack;
    leaveTraces(stack, KilnStackExtensionIT.class);
  }

  @BeforeEach
  void remember(TestStack stack) {
    beforeEach = stack;
  }

  @Override
  TestStack stack() {
    return constructed;
  }

  @Test
  void resolvesTheSameStackEverywhereInTheClass(TestStack stack) {
    assertThat(stack).isSameAs(constructed).isSameAs(beforeEach).isSameAs(beforeAll);
  }

  @Test
  void givesAMigratedDatabaseOfItsOwn(TestStack stack) throws Exception {
    assertThat(stack.jdbcUrl())
        .startsWith(stack.stack().postgres().jdbcUrl("kiln_test_"))
        .isNotEqualTo(stack.stack().postgres().jdbcUrl());
    try (Connection connection = stack.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("1");
    }
  }

  @Test
  void givesBucketsTempDirAndAClientThatWorks(TestStack stack) throws Exception {
    assertThat(stack.uploadsBucket()).startsWith("kiln-uploads-");
    assertThat(stack.resultsBucket()).startsWith("kiln-results-");
    assertThat(
            stack
                .s3Client()
                .headBucket(b -> b.bucket(stack.resultsBucket()))
                .sdkHttpResponse()
                .isSuccessful())
        .isTrue();
    assertThat(stack.s3().region()).isEqualTo("local-1");
    assertThat(Files.isDirectory(stack.tempDir())).isTrue();
    Files.writeString(stack.tempDir().resolve("scratch.txt"), "x");
  }

  @Nested
  class NestedClasses {

    @Test
    void shareTheStackOfTheirEnclosingClass(TestStack stack) {
      assertThat(stack).isSameAs(constructed);
    }
  }
}
