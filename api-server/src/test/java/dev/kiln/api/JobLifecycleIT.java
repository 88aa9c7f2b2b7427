package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Listing, cancelling, retrying, deleting and downloading jobs, and their event stream. */
@ExtendWith(KilnStackExtension.class)
class JobLifecycleIT {
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void jobsAreListedNewestFirstInPagesAndFilteredByState() {
    String token = api.newUser();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(fixtures.submittedJob(token));
    }
    String failed = fixtures.failedJob(token);

    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      Answer page =
          api.get("/api/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), token);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
      page.body().get("items").forEach(item -> order.add(item.get("id").asText()));
      cursor = page.text("nextCursor");
    } while (cursor != null);
    seen.addAll(order);

    assertThat(order).hasSize(6);
    assertThat(seen).containsAll(made).contains(failed);
    assertThat(order.get(0)).isEqualTo(failed);
    Answer onlyFailed = api.get("/api/v1/jobs?state=failed", token);
    assertThat(onlyFailed.body().get("items")).hasSize(1);
    assertThat(onlyFailed.body().at("/items/0/failureReason").asText()).contains("boom");
    assertThat(api.get("/api/v1/jobs", api.newUser()).body().get("items")).isEmpty();
  }

  @Test
  void cancellingWritesTheEventAndCannotBeRepeated() {
    String token = api.newUser();
    String job = fixtures.submittedJob(token);

    Answer cancelled = api.post("/api/v1/jobs/" + job + "/cancel", token, null);
    Answer again = api.post("/api/v1/jobs/" + job + "/cancel", token, null);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("state")).isEqualTo(JobState.CANCELLED.name());
    assertThat(cancelled.body().at("/timings/finishedAt").isNull()).isFalse();
    assertThat(again.status()).isEqualTo(409);
    assertThat(events(token, job))
        .contains(OutboxEventType.SUBMITTED.wireName(), OutboxEventType.CANCELLED.wireName());
  }

  @Test
  void aFailedJobIsRetriedAndOnlyAFailedOne() {
    String token = api.newUser();
    String failed = fixtures.failedJob(token);
    String running = fixtures.submittedJob(token);

    Answer retried = api.post("/api/v1/jobs/" + failed + "/retry", token, null);

    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.text("state")).isEqualTo(JobState.RUNNING.name());
    assertThat(retried.text("failureReason")).isNull();
    assertThat(events(token, failed)).contains(OutboxEventType.RETRIED.wireName());
    assertThat(api.post("/api/v1/jobs/" + running + "/retry", token, null).status()).isEqualTo(409);
  }

  @Test
  void aCancelledJobIsRetriedFromWhereItStoppedOrPlannedAnew() {
    String token = api.newUser();
    String planned = fixtures.submittedJob(token);
    fixtures.sql(
        "update jobs set state = ?, shards_total = 3, shards_done = 1, started_at = ? where id = ?",
        JobState.RUNNING.name(),
        java.time.Instant.now(),
        java.util.UUID.fromString(planned));
    assertThat(api.post("/api/v1/jobs/" + planned + "/cancel", token, null).status())
        .isEqualTo(200);
    String unplanned = fixtures.cancelledJob(token);

    Answer resumed = api.post("/api/v1/jobs/" + planned + "/retry", token, null);
    Answer replanned = api.post("/api/v1/jobs/" + unplanned + "/retry", token, null);

    assertThat(resumed.status()).as(resumed.raw().body()).isEqualTo(202);
    assertThat(resumed.text("state")).isEqualTo(JobState.RUNNING.name());
    assertThat(resumed.body().at("/progress/shardsDone").asInt()).isEqualTo(1);
    assertThat(resumed.body().at("/timings/finishedAt").isTextual()).isFalse();
    assertThat(resumed.text("failureReason")).isNull();
    assertThat(events(token, planned))
        .containsSubsequence(
            OutboxEventType.CANCELLED.wireName(), OutboxEventType.RETRIED.wireName());
    assertThat(replanned.status()).as(replanned.raw().body()).isEqualTo(202);
    assertThat(replanned.text("state")).isEqualTo(JobState.SUBMITTED.name());
    assertThat(events(token, unplanned)).contains(OutboxEventType.RETRIED.wireName());
  }

  @Test
  void aCancelledJobWhosePartsAreDeletedCannotResume() {
    String token = api.newUser();
    String job = fixtures.submittedJob(token);
    fixtures.sql(
        "update jobs set state = ?, shards_total = 2 where id = ?",
        JobState.RUNNING.name(),
        java.util.UUID.fromString(job));
    api.post("/api/v1/jobs/" + job + "/cancel", token, null);
    fixtures.sql(
        "update jobs set parts_deleted_at = ? where id = ?",
        java.time.Instant.now(),
        java.util.UUID.fromString(job));

    Answer refused = api.post("/api/v1/jobs/" + job + "/retry", token, null);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.text("detail")).contains("cannot resume", "run it again as a new job");
    assertThat(api.get("/api/v1/jobs/" + job, token).text("state"))
        .isEqualTo(JobState.CANCELLED.name());
  }

  @Test
  void aFinishedJobShowsCostAndItsOutputDownloadsThroughAPresignedUrl() throws Exception {
    String token = api.newUser();
    String job = fixtures.succeededJob(token, "label\ncat\ndog\n");

    Answer read = api.get("/api/v1/jobs/" + job, token);
    Answer link = api.get("/api/v1/jobs/" + job + "/outputs/0/download", token);
    HttpResponse<String> download =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(link.text("url"))).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(read.body().at("/progress/percent").asDouble()).isEqualTo(100.0);
    assertThat(read.body().at("/cost/agentSeconds").asDouble()).isEqualTo(36.0);
    assertThat(read.body().at("/cost/usd").asDouble()).isGreaterThan(0.0);
    assertThat(read.body().at("/inputs/0/outputFileId").asText()).isNotBlank();
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("label\ncat\ndog\n");
    assertThat(api.get("/api/v1/jobs/" + job + "/outputs/5/download", token).status())
        .isEqualTo(404);
  }

  @Test
  void onlyFinishedJobsAreDeletedAndTheirOutputsGoWithThem() {
    String token = api.newUser();
    String running = fixtures.submittedJob(token);
    String done = fixtures.succeededJob(token, "x\n");
    String outputId =
        api.get("/api/v1/jobs/" + done, token).body().at("/inputs/0/outputFileId").asText();

    assertThat(api.delete("/api/v1/jobs/" + running, token).status()).isEqualTo(409);
    assertThat(api.delete("/api/v1/jobs/" + done, token).status()).isEqualTo(204);

    assertThat(api.get("/api/v1/jobs/" + done, token).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/files/" + outputId, token).status()).isEqualTo(404);
  }

  @Test
  void aFileInUseByAJobCannotBeDeleted() {
    String token = api.newUser();
    String file = fixtures.readyFile(token);
    api.post("/api/v1/jobs", token, Map.of("processor", "parse", "inputs", List.of(file)));

    Answer answer = api.delete("/api/v1/files/" + file, token);

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.text("detail")).contains("delete those jobs first");
  }

  @Test
  void aModelJobNeedsTheOwnersReadyModel() {
    String token = api.newUser();
    String input = fixtures.readyFile(token);
    String model = fixtures.readyFile(token, "model.zip");
    String strangersModel = fixtures.readyFile(api.newUser(), "model.zip");

    Answer ok =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor",
                "tf-savedmodel",
                "inputs",
                List.of(input),
                "model",
                model,
                "params",
                Map.of(
                    "batchSize",
                    256,
                    "format",
                    "CSV",
                    "split",
                    "lines",
                    "maxErrorRate",
                    0.01,
                    "maxAttempts",
                    3)));
    Answer stolen =
        api.post(
            "/api/v1/jobs",
            token,
            Map.of(
                "processor", "tf-savedmodel", "inputs", List.of(input), "model", strangersModel));

    assertThat(ok.status()).as(ok.raw().body()).isEqualTo(202);
    assertThat(ok.body().at("/params/format").asText()).isEqualTo("csv");
    assertThat(ok.text("model")).isEqualTo(model);
    assertThat(stolen.status()).isEqualTo(404);
  }

  @Test
  void theEventStreamSendsEventsAndProgressThenEndsWithTheJob() throws Exception {
    String token = api.newUser();
    String job = fixtures.cancelledJob(token);

    HttpResponse<String> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            api.base() + "/api/v1/jobs/" + job + "/events?access_token=" + token))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(stream.body())
        .contains(
            "event: " + OutboxEventType.SUBMITTED.wireName(),
            "event: progress",
            "event: end",
            JobState.CANCELLED.name());
    assertThat(api.get("/api/v1/jobs?access_token=" + token, null).status())
        .as("query tokens are for event streams only")
        .isEqualTo(401);
  }

  /** The job's outbox event types, oldest first. */
  private static List<String> events(String token, String job) {
    try (var connection = api.stack().dataSource().getConnection();
        var statement =
            connection.prepareStatement("select type from outbox where job_id = ? order by id")) {
      statement.setObject(1, java.util.UUID.fromString(job));
      List<String> types = new ArrayList<>();
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          types.add(rows.getString(1));
        }
      }
      return types;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
