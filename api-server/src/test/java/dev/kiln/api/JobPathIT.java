package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** One job's path through the API: account, upload, submit, read back. */
@ExtendWith(KilnStackExtension.class)
class JobPathIT {
  private static ApiHarness api;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStack testStack) throws Exception {
    stack = testStack;
    api = ApiHarness.start(testStack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aJobIsAcceptedDurablyAndReadBackWithItsProgress() throws Exception {
    String token = api.newUser();
    String fileId =
        api.uploadFile(token, "rows.csv", "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
    RedissonClient redis = dev.kiln.protocol.redis.RedisClients.create(stack.redisUri(), 2);
    CompletableFuture<String> announced = new CompletableFuture<>();
    redis
        .getTopic(RedisKeys.JOBS_SUBMITTED)
        .addListener(String.class, (channel, id) -> announced.complete(id));
    try {
      Answer submitted =
          api.post(
              "/api/v1/jobs",
              token,
              Map.of(
                  "processor",
                  "parse",
                  "inputs",
                  List.of(fileId),
                  "params",
                  Map.of("shardBytes", 65536, "format", "csv"),
                  "priority",
                  3));

      assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(202);
      String jobId = submitted.text("id");
      assertThat(submitted.text("state")).isEqualTo(JobState.SUBMITTED.name());
      assertThat(announced.get(5, TimeUnit.SECONDS)).isEqualTo(jobId);
      assertThat(outboxTypes(UUID.fromString(jobId)))
          .containsExactly(OutboxEventType.SUBMITTED.wireName());

      Answer read = api.get("/api/v1/jobs/" + jobId, token);
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.body().at("/progress/shardsTotal").asInt()).isZero();
      assertThat(read.body().at("/inputs/0/fileId").asText()).isEqualTo(fileId);
      assertThat(read.body().at("/params/shardBytes").asLong()).isEqualTo(65536);
      assertThat(read.body().at("/timings/createdAt").asText()).isNotBlank();
      assertThat(read.body().at("/priority").asInt()).isEqualTo(3);
    } finally {
      redis.shutdown();
    }
  }

  @Test
  void aShardSizeBelowThePlannersFloorIsRefusedWithTheAllowedRange() {
    String token = api.newUser();
    String fileId = api.uploadFile(token, "rows.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8));

    Answer tooSmall =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor",
                "parse",
                "inputs",
                List.of(fileId),
                "params",
                Map.of("shardBytes", JobParams.MIN_SHARD_BYTES - 1)));
    Answer atFloor =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor",
                "parse",
                "inputs",
                List.of(fileId),
                "params",
                Map.of("shardBytes", JobParams.MIN_SHARD_BYTES)));

    assertThat(tooSmall.status()).isEqualTo(400);
    assertThat(tooSmall.contentType()).startsWith("application/problem+json");
    assertThat(tooSmall.text("detail"))
        .contains("'params.shardBytes' must be between 1024 (1 KiB) and 5368709120 (5 GiB)")
        .contains("1023");
    assertThat(api.get("/api/v1/jobs", token).body().get("items")).hasSize(1);
    assertThat(atFloor.status()).as(atFloor.raw().body()).isEqualTo(202);
  }

  @Test
  void anOutputFormatIsJsonLinesOrParquetAndAnythingElseIsRefusedNamingBoth() {
    String token = api.newUser();
    String fileId = api.uploadFile(token, "rows.csv", "a\n1\n".getBytes(StandardCharsets.UTF_8));

    Answer xml =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor",
                "parse",
                "inputs",
                List.of(fileId),
                "params",
                Map.of("outputFormat", "xml")));
    Answer parquet =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor",
                "parse",
                "inputs",
                List.of(fileId),
                "params",
                Map.of("outputFormat", "Parquet")));

    assertThat(xml.status()).isEqualTo(400);
    assertThat(xml.contentType()).startsWith("application/problem+json");
    assertThat(xml.text("detail")).contains("'params.outputFormat' must be one of jsonl, parquet.");
    assertThat(parquet.status()).as(parquet.raw().body()).isEqualTo(202);
    assertThat(parquet.body().at("/params/outputFormat").asText()).isEqualTo("parquet");
    assertThat(api.get("/api/v1/jobs", token).body().get("items")).hasSize(1);
  }

  @Test
  void severalInputsReadBackInTheOrderTheyWereGiven() {
    String token = api.newUser();
    List<String> files = new java.util.ArrayList<>();
    for (String name : List.of("c.csv", "a.csv", "b.csv")) {
      files.add(api.uploadFile(token, name, "x\n1\n".getBytes(StandardCharsets.UTF_8)));
    }
    Answer submitted =
        api.post("/api/v1/jobs", token, Map.of("processor", "parse", "inputs", files));
    assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(202);

    Answer read = api.get("/api/v1/jobs/" + submitted.text("id"), token);

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().at("/inputs").size()).isEqualTo(3);
    for (int position = 0; position < 3; position++) {
      assertThat(read.body().at("/inputs/" + position + "/position").asInt()).isEqualTo(position);
      assertThat(read.body().at("/inputs/" + position + "/fileId").asText())
          .isEqualTo(files.get(position));
      assertThat(read.body().at("/inputs/" + position + "/outputFileId").isTextual()).isFalse();
    }
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameJob() {
    String token = api.newUser();
    String fileId = api.uploadFile(token, "a.txt", "x\n".getBytes(StandardCharsets.UTF_8));
    String body = api.toJson(Map.of("processor", "parse", "inputs", List.of(fileId)));
    Map<String, String> key = Map.of("Idempotency-Key", "order-42");

    Answer first = api.call("POST", "/api/v1/jobs", token, body, key);
    Answer second = api.call("POST", "/api/v1/jobs", token, body, key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.text("id")).isEqualTo(first.text("id"));
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void theSameIdempotencyKeyWithAnotherBodyIsRefused() {
    String token = api.newUser();
    String a = api.uploadFile(token, "a.txt", "x\n".getBytes(StandardCharsets.UTF_8));
    String b = api.uploadFile(token, "b.txt", "y\n".getBytes(StandardCharsets.UTF_8));
    Map<String, String> key = Map.of("Idempotency-Key", "order-43");

    Answer first =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            api.toJson(Map.of("processor", "parse", "inputs", List.of(a))),
            key);
    Answer other =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            api.toJson(Map.of("processor", "parse", "inputs", List.of(b))),
            key);
    Answer same =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            api.toJson(Map.of("inputs", List.of(a), "processor", "parse")),
            key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(other.status()).as(other.raw().body()).isEqualTo(422);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(other.text("type")).contains("idempotency-key-reused");
    assertThat(other.text("detail")).contains("different request body");
    assertThat(same.status()).isEqualTo(202);
    assertThat(same.text("id")).isEqualTo(first.text("id"));
  }

  @Test
  void anEmptyUploadIsRefusedWithAReason() {
    String token = api.newUser();
    Answer created = api.post("/api/v1/files", token, Map.of("name", "empty.csv", "sizeBytes", 1));
    int put;
    try {
      put = api.putStatus(created.text("uploadUrl"), new byte[0]);
    } catch (java.io.UncheckedIOException closed) {
      put = 403;
    }

    Answer completed = api.post("/api/v1/files/" + created.text("id") + "/complete", token, null);

    assertThat(put).as("the upload URL signs the declared length").isEqualTo(403);
    assertThat(completed.status()).isEqualTo(409);
    assertThat(completed.contentType()).startsWith("application/problem+json");
    assertThat(completed.text("detail")).contains("PUT");
  }

  @Test
  void completingBeforeUploadingSaysToUploadFirst() {
    String token = api.newUser();
    Answer created = api.post("/api/v1/files", token, Map.of("name", "late.csv", "sizeBytes", 10));

    Answer completed = api.post("/api/v1/files/" + created.text("id") + "/complete", token, null);

    assertThat(completed.status()).isEqualTo(409);
    assertThat(completed.text("detail")).contains("PUT");
  }

  @Test
  void aJobOnAnotherAccountsFileIsNotFound() {
    String owner = api.newUser();
    String stranger = api.newUser();
    String fileId = api.uploadFile(owner, "mine.csv", "a\n".getBytes(StandardCharsets.UTF_8));

    Answer answer =
        api.post("/api/v1/jobs", stranger, Map.of("processor", "parse", "inputs", List.of(fileId)));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.text("detail")).contains(fileId).doesNotContain("mine.csv");
  }

  @Test
  void unknownFilesPendingFilesAndUnknownProcessorsAreClientErrors() {
    String token = api.newUser();
    Answer pending = api.post("/api/v1/files", token, Map.of("name", "p.csv", "sizeBytes", 3));

    assertThat(
            api.post(
                    "/api/v1/jobs",
                    token,
                    Map.of("processor", "parse", "inputs", List.of(UUID.randomUUID().toString())))
                .status())
        .isEqualTo(404);
    assertThat(
            api.post(
                    "/api/v1/jobs",
                    token,
                    Map.of("processor", "parse", "inputs", List.of(pending.text("id"))))
                .status())
        .isEqualTo(409);
    String ready = api.uploadFile(token, "r.csv", "a\n".getBytes(StandardCharsets.UTF_8));
    Answer unknown =
        api.post("/api/v1/jobs", token, Map.of("processor", "rm -rf", "inputs", List.of(ready)));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.text("detail")).contains("parse");
    Answer noModel =
        api.post(
            "/api/v1/jobs", token, Map.of("processor", "tf-savedmodel", "inputs", List.of(ready)));
    assertThat(noModel.status()).isEqualTo(422);
    assertThat(noModel.text("detail")).contains("model");
  }

  @Test
  void malformedBodiesUnknownFieldsAndWrongTypesAreProblemsNotServerErrors() {
    String token = api.newUser();
    List<String> bodies =
        List.of(
            "{",
            "[]",
            "\"text\"",
            "{\"processor\":\"parse\",\"inputs\":[],\"surprise\":1}",
            "{\"processor\":\"parse\",\"inputs\":\"not-a-list\"}",
            "{\"processor\":\"parse\",\"inputs\":[\"not-a-uuid\"]}",
            "{\"processor\":7,\"inputs\":[]}",
            "{\"processor\":\"parse\",\"inputs\":[\""
                + UUID.randomUUID()
                + "\"],\"priority\":\"high\"}",
            "{\"processor\":\"parse\",\"inputs\":[\""
                + UUID.randomUUID()
                + "\"],\"params\":{\"shardBytes\":1}}",
            "");
    for (String body : bodies) {
      Answer answer = api.call("POST", "/api/v1/jobs", token, body);
      assertThat(answer.status()).as(body).isBetween(400, 499);
      assertThat(answer.contentType()).as(body).startsWith("application/problem+json");
      assertThat(answer.text("detail")).as(body).isNotBlank();
      assertThat(answer.body().get("status").asInt()).isEqualTo(answer.status());
    }
    String ready = api.uploadFile(token, "ok.csv", "a\n".getBytes(StandardCharsets.UTF_8));
    Answer unknownField =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            "{\"processor\":\"parse\",\"inputs\":[\"" + ready + "\"],\"priorty\":1}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.text("detail")).contains("priorty", "priority");
  }

  @Test
  void badIdsInThePathAreNotFound() {
    String token = api.newUser();

    Answer answer = api.get("/api/v1/jobs/not-a-uuid", token);

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void healthChecksCoverPostgresRedisAndS3() throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + adminPort() + "/healthcheck"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("postgres", "redis", "s3");
  }

  private static int adminPort() throws Exception {
    var field = ApiHarness.class.getDeclaredField("app");
    field.setAccessible(true);
    return ((io.dropwizard.testing.DropwizardTestSupport<?>) field.get(api)).getAdminPort();
  }

  private static List<String> outboxTypes(UUID jobId) throws Exception {
    try (Connection connection = stack.dataSource().getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select type from outbox where job_id = ? order by id")) {
      statement.setObject(1, jobId);
      try (ResultSet rows = statement.executeQuery()) {
        List<String> types = new java.util.ArrayList<>();
        while (rows.next()) {
          types.add(rows.getString(1));
        }
        return types;
      }
    }
  }
}
