package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.ShardState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dead-letter endpoints over PostgreSQL as the scheduler leaves it: a failed job whose shard 0
 * was dead-lettered (its attempts recorded) and whose waiting shard was cancelled when it failed.
 * The scheduler's side of a requeue (shards back to the queue, the job run to its end) is {@code
 * CliEndToEndIT}'s, on the whole platform.
 */
@ExtendWith(KilnStackExtension.class)
class DeadLetterIT {
  private static ApiHarness api;
  private static Fixtures fixtures;
  private static String admin;
  private static String owner;
  private static String ownerEmail;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
    admin = fixtures.makeAdmin("dl-admin-" + UUID.randomUUID() + "@example.com");
    ownerEmail = "dl-owner-" + UUID.randomUUID() + "@example.com";
    owner = api.signup(ownerEmail);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void noOtherDeadLetters() {
    fixtures.sql("update shards set discarded_at = now() where state = ?", ShardState.DEAD.name());
  }

  private UUID deadJob(String processor) {
    return fixtures.deadLetterJob(owner, processor);
  }

  @Test
  void aDeadLetterIsListedWithItsJobOwnerReasonAndAttempts() {
    UUID job = deadJob("parse");

    Answer answer = api.get("/api/v1/admin/dead-letters?jobId=" + job, admin);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode items = answer.body().get("items");
    assertThat(items).hasSize(1);
    JsonNode dead = items.get(0);
    assertThat(dead.get("jobId").asText()).isEqualTo(job.toString());
    assertThat(dead.get("shardIndex").asInt()).isZero();
    assertThat(dead.get("processor").asText()).isEqualTo("parse");
    assertThat(dead.get("ownerEmail").asText()).isEqualTo(ownerEmail);
    assertThat(dead.get("ownerId").asText()).isEqualTo(fixtures.accountId(owner).toString());
    assertThat(dead.get("reason").asText())
        .isEqualTo("failed 3 of 3 attempts, last: out of memory");
    assertThat(dead.get("lastError").asText()).isEqualTo("out of memory");
    assertThat(dead.get("attempts").asInt()).isEqualTo(3);
    assertThat(dead.get("deadAt").asText()).isNotBlank();
    assertThat(answer.body().get("nextCursor").isNull()).isTrue();
    assertThat(lastAudit("deadletters.list").get("detailJson").asText()).contains(job.toString());
  }

  @Test
  void theListFiltersByProcessorAndPagesByCursor() {
    List<UUID> parse = List.of(deadJob("parse"), deadJob("parse"), deadJob("parse"));
    UUID tf = deadJob("tf-savedmodel");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Answer page =
          api.get(
              "/api/v1/admin/dead-letters?processor=parse&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              admin);
      assertThat(page.status()).isEqualTo(200);
      page.body().get("items").forEach(item -> seen.add(item.get("jobId").asText()));
      cursor = page.body().get("nextCursor").isNull() ? null : page.text("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(2);
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(parse.stream().map(UUID::toString).toList());
    JsonNode tfOnly =
        api.get("/api/v1/admin/dead-letters?processor=tf-savedmodel", admin).body().get("items");
    assertThat(tfOnly).extracting(n -> n.get("jobId").asText()).containsExactly(tf.toString());
  }

  @Test
  void requeueReopensTheFailedJobForTheSchedulerAndLeavesTheList() {
    UUID job = deadJob("parse");

    Answer answer = api.post("/api/v1/admin/dead-letters/" + job + "/0/requeue", admin, null);

    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
    assertThat(answer.body().get("jobs").asInt()).isEqualTo(1);
    assertThat(answer.body().get("shards").asInt()).as("the dead and the cancelled").isEqualTo(2);
    assertThat(answer.body().get("more").asBoolean()).isFalse();
    assertThat(query("select state from jobs where id = ?", job))
        .containsExactly(JobState.RUNNING.name());
    assertThat(
            query(
                "select payload_json::text from outbox where job_id = ? and type = ?",
                job,
                OutboxEventType.RETRIED.wireName()))
        .singleElement()
        .asString()
        .contains("operator");
    assertThat(api.get("/api/v1/admin/dead-letters?jobId=" + job, admin).body().get("items"))
        .isEmpty();
    JsonNode audit = lastAudit("deadletter.requeue");
    assertThat(audit.get("targetId").asText()).isEqualTo(job + "/0");

    Answer again = api.post("/api/v1/admin/dead-letters/" + job + "/0/requeue", admin, null);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.text("detail")).contains("not a dead letter");
  }

  @Test
  void aDiscardedShardIsFailedForGoodAndItsJobCannotRunAgain() {
    UUID job = deadJob("parse");
    fixtures.shard(job, 3, ShardState.DEAD, "not retryable: bad model", 1, Instant.now());

    Answer discarded = api.delete("/api/v1/admin/dead-letters/" + job + "/3", admin);

    assertThat(discarded.status()).isEqualTo(204);
    assertThat(lastAudit("deadletter.discard").get("targetId").asText()).isEqualTo(job + "/3");
    assertThat(api.get("/api/v1/admin/dead-letters?jobId=" + job, admin).body().get("items"))
        .extracting(n -> n.get("shardIndex").asInt())
        .containsExactly(0);
    assertThat(query("select state from jobs where id = ?", job))
        .containsExactly(JobState.FAILED.name());

    Answer requeue = api.post("/api/v1/admin/dead-letters/" + job + "/0/requeue", admin, null);
    assertThat(requeue.status()).isEqualTo(409);
    assertThat(requeue.text("detail")).contains("discarded");
    Answer retry = api.post("/api/v1/jobs/" + job + "/retry", owner, null);
    assertThat(retry.status()).isEqualTo(409);
    assertThat(retry.text("detail")).contains("discarded");
    assertThat(api.delete("/api/v1/admin/dead-letters/" + job + "/3", admin).status())
        .isEqualTo(404);
  }

  @Test
  void requeueAllReopensEveryMatchingFailedJobInOneBatch() {
    UUID first = deadJob("parse");
    UUID second = deadJob("parse");
    UUID other = deadJob("tf-savedmodel");

    Answer answer =
        api.post("/api/v1/admin/dead-letters/requeue", admin, Map.of("processor", "parse"));

    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
    assertThat(answer.body().get("jobs").asInt()).isEqualTo(2);
    assertThat(answer.body().get("shards").asInt()).isEqualTo(4);
    assertThat(answer.body().get("more").asBoolean()).isFalse();
    assertThat(query("select state from jobs where id = ?", first))
        .containsExactly(JobState.RUNNING.name());
    assertThat(query("select state from jobs where id = ?", second))
        .containsExactly(JobState.RUNNING.name());
    assertThat(query("select state from jobs where id = ?", other))
        .containsExactly(JobState.FAILED.name());
    assertThat(lastAudit("deadletters.requeue").get("detailJson").asText()).contains("\"jobs\": 2");

    Answer rest = api.post("/api/v1/admin/dead-letters/requeue", admin, Map.of());
    assertThat(rest.body().get("jobs").asInt()).isEqualTo(1);
    assertThat(query("select state from jobs where id = ?", other))
        .containsExactly(JobState.RUNNING.name());
  }

  @Test
  void badRequestsAndUsersAreRefusedWithProblems() {
    Map<String, Integer> expected =
        Map.of(
            "/api/v1/admin/dead-letters?jobId=not-a-uuid", 400,
            "/api/v1/admin/dead-letters?limit=0", 400,
            "/api/v1/admin/dead-letters?cursor=bm90LW91cnM", 400);
    expected.forEach(
        (path, status) -> {
          Answer answer = api.get(path, admin);
          assertThat(answer.status()).as(path).isEqualTo(status);
          assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
          assertThat(answer.text("detail")).as(path).isNotBlank();
        });
    Answer badBody =
        api.call("POST", "/api/v1/admin/dead-letters/requeue", admin, "{\"jobId\": 7}");
    assertThat(badBody.status()).isEqualTo(400);
    assertThat(badBody.contentType()).startsWith("application/problem+json");

    UUID job = deadJob("parse");
    for (Answer refused :
        List.of(
            api.get("/api/v1/admin/dead-letters", owner),
            api.post("/api/v1/admin/dead-letters/" + job + "/0/requeue", owner, null),
            api.delete("/api/v1/admin/dead-letters/" + job + "/0", owner))) {
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }
    assertThat(query("select state from jobs where id = ?", job))
        .containsExactly(JobState.FAILED.name());
  }

  /** The newest audit entry of {@code action}. */
  private static JsonNode lastAudit(String action) {
    JsonNode items =
        api.get("/api/v1/admin/audit?limit=1&action=" + action, admin).body().get("items");
    assertThat(items).as("an audit entry " + action).hasSize(1);
    return items.get(0);
  }

  private static List<String> query(String sql, Object... args) {
    try (Connection connection = api.stack().dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
