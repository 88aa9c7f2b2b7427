package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.JobState;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import dev.kiln.protocol.fleet.AgentDrainMarks;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.fleet.FleetHistoryStore;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * The operator console's live views and searches, fed the way production feeds them: the work
 * queue, agent statuses and the autoscaler's history written through the protocol's own classes.
 */
@ExtendWith(KilnStackExtension.class)
class OperationsIT {
  private static ApiHarness api;
  private static Fixtures fixtures;
  private static RedissonClient redis;
  private static String admin;
  private static UUID adminId;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
    redis = RedisClients.create(stack.redisUri(), 2);
    admin = fixtures.makeAdmin("ops-admin-" + UUID.randomUUID() + "@example.com");
    adminId = fixtures.accountId(admin);
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.shutdown();
    }
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void emptyRedis() {
    redis.getKeys().flushall();
  }

  @Test
  void theOverviewShowsTheFleetBacklogAndTheAutoscalersHistory() {
    Instant now = Instant.now();
    FleetDecisionStore decisions = new FleetDecisionStore(redis);
    FleetHistoryStore history = new FleetHistoryStore(redis);
    FleetDecision older = decision(1, "3 shards queued", now.minusSeconds(120));
    FleetDecision newer = decision(2, "12 shards queued", now.minusSeconds(5));
    for (FleetDecision decision : List.of(older, older, newer)) {
      decisions.publish(decision);
      history.recordDecision(decision);
    }
    for (int minute = 70; minute >= 0; minute--) {
      history.recordPoint(new FleetPoint(now.minusSeconds(60L * minute), 2, 12, 3.5));
    }
    history.recordPoint(new FleetPoint(now.plusSeconds(10), 9, 99, 9.9));
    RedisWorkQueue queue = new RedisWorkQueue(redis, Clock.systemUTC());
    queue.ensureEpoch(1);
    UUID owner = UUID.randomUUID();
    queue.enqueue(tasks(owner, "parse", 3));
    queue.lease("agent-1", Set.of("parse"), 1, Duration.ofMinutes(5));
    new AgentStatusStore(redis)
        .publish(status("agent-1", AgentState.RUNNING), Duration.ofMinutes(1));

    Answer answer = api.get("/api/v1/admin/overview", admin);

    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
    JsonNode body = answer.body();
    assertThat(body.get("agents").asInt()).isEqualTo(1);
    assertThat(body.get("queued").asLong()).isEqualTo(2);
    assertThat(body.get("leased").asLong()).isEqualTo(1);
    assertThat(body.at("/decision/desired").asInt()).isEqualTo(2);
    assertThat(body.at("/decision/reason").asText()).isEqualTo("12 shards queued");
    assertThat(body.get("recentDecisions"))
        .extracting(d -> d.get("reason").asText())
        .containsExactly("12 shards queued", "3 shards queued");
    JsonNode series = body.get("series");
    assertThat(series).hasSize(FleetHistoryStore.POINTS_KEPT);
    assertThat(Instant.parse(series.get(0).get("at").asText()))
        .isBefore(Instant.parse(series.get(series.size() - 1).get("at").asText()));
    assertThat(series.get(series.size() - 1).get("backlog").asLong())
        .as("a point less than a minute after the last is not kept")
        .isEqualTo(12);
    assertThat(lastAudit("overview.view")).isNotNull();
  }

  @Test
  void theQueuesShowEachOwnersShareAndTheCaps() {
    String userEmail = "queued-" + UUID.randomUUID() + "@example.com";
    UUID user = fixtures.accountId(api.signup(userEmail));
    UUID stranger = UUID.randomUUID();
    RedisWorkQueue queue = new RedisWorkQueue(redis, Clock.systemUTC());
    queue.ensureEpoch(1);
    queue.enqueue(tasks(user, "parse", 4));
    queue.enqueue(tasks(stranger, "parse", 1));
    queue.enqueue(tasks(stranger, "tf-savedmodel", 2));
    queue.setConcurrencyCap("parse", 8);
    queue.lease("agent-q", Set.of("tf-savedmodel"), 1, Duration.ofMinutes(5));

    Answer answer = api.get("/api/v1/admin/queues", admin);

    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
    JsonNode items = answer.body().get("items");
    assertThat(items)
        .extracting(q -> q.get("processor").asText())
        .contains("parse", "tf-savedmodel");
    JsonNode parse = byField(items, "processor", "parse");
    assertThat(parse.get("queued").asLong()).isEqualTo(5);
    assertThat(parse.get("leased").asLong()).isZero();
    assertThat(parse.get("cap").asInt()).isEqualTo(8);
    JsonNode first = parse.get("owners").get(0);
    assertThat(first.get("ownerId").asText()).isEqualTo(user.toString());
    assertThat(first.get("email").asText()).isEqualTo(userEmail);
    assertThat(first.get("queued").asLong()).isEqualTo(4);
    assertThat(parse.get("owners").get(1).get("email").isNull()).isTrue();
    JsonNode tf = byField(items, "processor", "tf-savedmodel");
    assertThat(tf.get("queued").asLong()).isEqualTo(1);
    assertThat(tf.get("leased").asLong()).isEqualTo(1);
    assertThat(tf.get("cap").isNull()).isTrue();
  }

  @Test
  void drainingAnAgentSetsTheMarkItReadsAndIsAudited() {
    AgentStatusStore statuses = new AgentStatusStore(redis);
    statuses.publish(status("agent-d", AgentState.RUNNING), Duration.ofMinutes(1));
    statuses.publish(status("agent-e", AgentState.RUNNING), Duration.ofMinutes(1));

    Answer drained = api.post("/api/v1/admin/agents/agent-d/drain", admin, null);

    assertThat(drained.status()).as(drained.raw().body()).isEqualTo(202);
    assertThat(drained.body().get("draining").asBoolean()).isTrue();
    assertThat(new AgentDrainMarks(redis).reason("agent-d")).get().asString().contains("operator");
    assertThat(new AgentDrainMarks(redis).reason("agent-e")).isEmpty();
    JsonNode agents = api.get("/api/v1/admin/agents", admin).body().get("items");
    assertThat(byField(agents, "agentId", "agent-d").get("draining").asBoolean()).isTrue();
    JsonNode other = byField(agents, "agentId", "agent-e");
    assertThat(other.get("draining").asBoolean()).isFalse();
    assertThat(other.get("ami").asText()).isEqualTo("ami-0abc");
    assertThat(other.get("instanceType").asText()).isEqualTo("g5.xlarge");
    assertThat(other.get("leases").asInt()).isEqualTo(1);
    assertThat(lastAudit("agent.drain").get("targetId").asText()).isEqualTo("agent-d");

    Answer unknown = api.post("/api/v1/admin/agents/agent-gone/drain", admin, null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.text("detail")).contains("agent-gone");
  }

  @Test
  void accountsAreSearchedAndTheirQuotaAndRoleSet() {
    String marker = UUID.randomUUID().toString().substring(0, 8);
    String email = "Search-" + marker + "@example.com";
    UUID user = fixtures.accountId(api.signup(email));
    fixtures.accountId(api.signup("other-" + marker + "@example.com"));

    JsonNode found =
        api.get("/api/v1/admin/accounts?q=search-" + marker, admin).body().get("items");
    assertThat(found).extracting(a -> a.get("id").asText()).containsExactly(user.toString());
    assertThat(found.get(0).get("quotaBytes").asLong()).isPositive();
    assertThat(
            api.get("/api/v1/admin/accounts?q=" + marker + "&state=disabled", admin)
                .body()
                .get("items"))
        .isEmpty();
    assertThat(
            api.get("/api/v1/admin/accounts?q=" + marker + "&role=USER", admin).body().get("items"))
        .hasSize(2);

    Answer quota =
        api.call(
            "PUT", "/api/v1/admin/accounts/" + user + "/quota", admin, "{\"quotaBytes\": 1000}");
    assertThat(quota.status()).as(quota.raw().body()).isEqualTo(200);
    assertThat(quota.body().get("quotaBytes").asLong()).isEqualTo(1000);
    assertThat(lastAudit("account.quota").get("targetId").asText()).isEqualTo(user.toString());
    Answer role =
        api.call("PUT", "/api/v1/admin/accounts/" + user + "/role", admin, "{\"role\": \"ADMIN\"}");
    assertThat(role.status()).as(role.raw().body()).isEqualTo(200);
    assertThat(role.body().get("role").asText()).isEqualTo("ADMIN");
    assertThat(role.body().get("quotaBytes").asLong()).isEqualTo(1000);

    Map<String, Integer> refused =
        Map.of(
            "{\"quotaBytes\": -1}", 422,
            "{\"quotaBytes\": \"lots\"}", 400);
    refused.forEach(
        (body, status) -> {
          Answer answer = api.call("PUT", "/api/v1/admin/accounts/" + user + "/quota", admin, body);
          assertThat(answer.status()).as(body).isEqualTo(status);
          assertThat(answer.contentType()).startsWith("application/problem+json");
        });
    Answer badRole =
        api.call("PUT", "/api/v1/admin/accounts/" + user + "/role", admin, "{\"role\": \"ROOT\"}");
    assertThat(badRole.status()).isEqualTo(422);
    Answer self =
        api.call(
            "PUT", "/api/v1/admin/accounts/" + adminId + "/role", admin, "{\"role\": \"USER\"}");
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.text("detail")).contains("own account");
    assertThat(api.get("/api/v1/admin/accounts?state=sleepy", admin).status()).isEqualTo(400);
  }

  @Test
  void jobsAreFilteredByOwnerStateAndSearchAndCancelledByAnAdmin() {
    String email = "jobs-" + UUID.randomUUID() + "@example.com";
    String user = api.signup(email);
    String running = fixtures.submittedJob(user);
    String failed = fixtures.failedJob(user);

    JsonNode mine = api.get("/api/v1/admin/jobs?owner=" + email, admin).body().get("items");
    assertThat(mine)
        .extracting(j -> j.get("id").asText())
        .containsExactlyInAnyOrder(running, failed);
    JsonNode failedOnly =
        api.get("/api/v1/admin/jobs?owner=" + email + "&state=FAILED", admin).body().get("items");
    assertThat(failedOnly).extracting(j -> j.get("id").asText()).containsExactly(failed);
    JsonNode searched =
        api.get("/api/v1/admin/jobs?q=" + running.substring(0, 13), admin).body().get("items");
    assertThat(searched).extracting(j -> j.get("id").asText()).contains(running);
    assertThat(api.get("/api/v1/admin/jobs?owner=nobody@example.com", admin).status())
        .isEqualTo(404);

    Answer cancelled = api.post("/api/v1/admin/jobs/" + running + "/cancel", admin, null);
    assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(202);
    assertThat(cancelled.text("state")).isEqualTo(JobState.CANCELLED.name());
    assertThat(lastAudit("job.cancel").get("targetId").asText()).isEqualTo(running);
    Answer again = api.post("/api/v1/admin/jobs/" + failed + "/cancel", admin, null);
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void theAuditLogIsFilteredAndPaged() {
    Instant before = Instant.now();
    for (int i = 0; i < 3; i++) {
      api.get("/api/v1/admin/queues", admin);
    }
    String path =
        "/api/v1/admin/audit?limit=2&action=queues.&actor="
            + adminId
            + "&since="
            + before
            + "&until="
            + Instant.now().plusSeconds(60);
    Answer first = api.get(path, admin);
    assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
    assertThat(first.body().get("items")).hasSize(2);
    assertThat(first.body().at("/items/0/actorEmail").asText()).startsWith("ops-admin-");
    Answer second = api.get(path + "&cursor=" + first.text("nextCursor"), admin);
    assertThat(second.body().get("items")).hasSize(1);
    assertThat(second.body().get("nextCursor").isNull()).isTrue();
    List<Long> ids = new ArrayList<>();
    first.body().get("items").forEach(e -> ids.add(e.get("id").asLong()));
    second.body().get("items").forEach(e -> ids.add(e.get("id").asLong()));
    assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
    assertThat(api.get("/api/v1/admin/audit?since=yesterday", admin).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/admin/audit?cursor=xyz", admin).status()).isEqualTo(400);
  }

  private static JsonNode lastAudit(String action) {
    JsonNode items =
        api.get("/api/v1/admin/audit?limit=1&action=" + action, admin).body().get("items");
    assertThat(items).as("an audit entry " + action).hasSize(1);
    return items.get(0);
  }

  private static JsonNode byField(JsonNode items, String field, String value) {
    for (JsonNode item : items) {
      if (item.get(field).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no item with " + field + " " + value + " in " + items);
  }

  private static FleetDecision decision(int desired, String reason, Instant at) {
    return new FleetDecision(desired, 1, reason, false, 3.5, 500.0, at, "local", 12, 1, 9.0);
  }

  private static AgentStatus status(String id, AgentState state) {
    return new AgentStatus(
        id,
        "i-" + id,
        "g5.xlarge",
        "ami-0abc",
        "0.1.0",
        "A10G, 24 GiB",
        "GPU:0",
        List.of("parse"),
        state,
        1,
        4L,
        0L,
        null,
        Instant.now(),
        "on-demand");
  }

  private static List<ShardTask> tasks(UUID owner, String processor, int count) {
    UUID job = UUID.randomUUID();
    List<ShardTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(
          new ShardTask(
              job, i, owner, processor, 0, 3, "in", "k", 0, 1, 1, "TEXT", null, null, null,
              Map.of(), "out"));
    }
    return tasks;
  }
}
