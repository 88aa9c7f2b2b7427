package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.ShardState;
import dev.kiln.model.fleet.AgentState;
import dev.kiln.model.release.Outcome;
import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.release.ReleaseLog;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The operator console's fleet, budgets and releases, fed the way production feeds them: the
 * decision and agent hashes written to Redis as the scheduler and agents write them, release
 * records written to S3 by the CLI's {@link ReleaseLog}.
 */
@ExtendWith(KilnStackExtension.class)
class OperatorConsoleIT {
  private static final double HOURLY_PRICE = 0.526;

  private static ApiHarness api;
  private static Fixtures fixtures;
  private static RedissonClient redis;
  private static String opsBucket;
  private static String admin;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    opsBucket = stack.resultsBucket();
    api = ApiHarness.start(stack, ConfigOverride.config("releases.opsBucket", opsBucket));
    fixtures = new Fixtures(api);
    redis = RedisClients.create(stack.redisUri(), 2);
    admin = fixtures.makeAdmin("ops-" + UUID.randomUUID() + "@example.com");
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
  void emptyFleet() {
    redis.getKeys().deleteByPattern(RedisKeys.AGENT_PREFIX + "*");
    redis.getBucket(RedisKeys.FLEET_DECISION, StringCodec.INSTANCE).delete();
  }

  @Test
  void beforeAnyDecisionTheFleetIsEmptyAndNotCapped() {
    Answer answer = api.get("/api/v1/admin/fleet", admin);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().get("decision").isNull()).isTrue();
    assertThat(answer.body().get("budgetCapped").asBoolean()).isFalse();
    assertThat(answer.body().get("budgetNotice").isNull()).isTrue();
    assertThat(answer.body().get("agents")).isEmpty();
  }

  @Test
  void aBudgetCappedDecisionIsSaidPlainlyAndTheLiveAgentsAreListed() {
    Instant at = Instant.now().minusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    String reason =
        "global monthly budget reached (512.30 of 500.00): not scaling up; 40 shards wait";
    writeDecision(
        "{\"desired\":2,\"current\":2,\"reason\":\""
            + reason
            + "\",\"budgetCapped\":true,\"spend\":512.3,\"budget\":500.0,\"at\":\""
            + at
            + "\",\"fleet\":\"Auto Scaling group kiln-agents\",\"queued\":40,\"leased\":2,"
            + "\"shardSeconds\":40.0,\"addedLater\":1}");
    writeAgent(
        agent("agent-b", "i-0b", AgentState.RUNNING.name(), "2").with("drainReason", "").fields,
        Duration.ZERO);
    writeAgent(
        agent("agent-a", "i-0a", "DRAINING", "0")
            .with("drainReason", "spot interruption at 2026-03-15T12:02:00Z")
            .fields,
        Duration.ZERO);
    // Not an agent hash under the prefix's namespace: another key the scan must not confuse.
    redis
        .getBucket(RedisKeys.AGENT_PREFIX.replace(":", "") + "x:", StringCodec.INSTANCE)
        .set("noise");

    Answer answer = api.get("/api/v1/admin/fleet", admin);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = answer.body();
    assertThat(body.get("budgetCapped").asBoolean()).isTrue();
    assertThat(body.get("budgetNotice").asText())
        .startsWith("The fleet is capped by budget")
        .contains("$500.00", "$512.30", "40 shard(s) wait", reason);
    assertThat(body.at("/decision/desired").asInt()).isEqualTo(2);
    assertThat(body.at("/decision/budget").asDouble()).isEqualTo(500.0);
    assertThat(body.at("/decision/at").asText()).isEqualTo(at.toString());
    assertThat(body.at("/decision/fleet").asText()).isEqualTo("Auto Scaling group kiln-agents");
    assertThat(body.get("decisionAgeSeconds").asLong()).isBetween(2L, 60L);

    JsonNode agents = body.get("agents");
    assertThat(agents).hasSize(2);
    JsonNode first = agents.get(0);
    assertThat(first.get("agentId").asText()).isEqualTo("agent-a");
    assertThat(first.get("state").asText()).isEqualTo("DRAINING");
    assertThat(first.get("drainReason").asText()).startsWith("spot interruption");
    assertThat(first.get("instanceType").asText()).isEqualTo("g4dn.xlarge");
    assertThat(first.get("gpu").asText()).isEqualTo("Tesla T4, 15360 MiB");
    assertThat(first.get("device").asText()).isEqualTo("GPU:0 (14.6 GiB)");
    assertThat(first.get("ami").asText()).isEqualTo("ami-0123456789abcdef0");
    assertThat(first.get("version").asText()).isEqualTo("0.1.0");
    assertThat(first.get("processors"))
        .extracting(JsonNode::asText)
        .containsExactly("parse", "tf-savedmodel");
    assertThat(first.get("shardsDone").asLong()).isEqualTo(17);
    assertThat(first.get("shardsFailed").asLong()).isEqualTo(1);
    assertThat(first.get("lastHeartbeat").asText()).isEqualTo("2026-03-15T12:00:05Z");
    JsonNode second = agents.get(1);
    assertThat(second.get("agentId").asText()).isEqualTo("agent-b");
    assertThat(second.get("leases").asInt()).isEqualTo(2);
    assertThat(second.get("drainReason").isNull()).isTrue();

    assertThat(lastAudit().get("action").asText()).isEqualTo("fleet.view");
  }

  @Test
  void anUncappedDecisionCarriesNoNotice() {
    writeDecision(
        "{\"desired\":5,\"current\":2,\"reason\":\"40 shards queued\",\"budgetCapped\":false,"
            + "\"spend\":12.0,\"budget\":null,\"at\":\""
            + Instant.now()
            + "\",\"fleet\":\"local\",\"queued\":40,\"leased\":0,\"shardSeconds\":40.0}");

    JsonNode body = api.get("/api/v1/admin/fleet", admin).body();

    assertThat(body.get("budgetCapped").asBoolean()).isFalse();
    assertThat(body.get("budgetNotice").isNull()).isTrue();
    assertThat(body.at("/decision/budget").isNull()).isTrue();
  }

  @Test
  void anAgentWhoseHashExpiredIsGone() throws Exception {
    writeAgent(
        agent("agent-short", "i-0c", AgentState.RUNNING.name(), "0").fields,
        Duration.ofMillis(300));
    assertThat(api.get("/api/v1/admin/fleet", admin).body().get("agents")).hasSize(1);

    Thread.sleep(600);

    assertThat(api.get("/api/v1/admin/fleet", admin).body().get("agents")).isEmpty();
  }

  @Test
  void anUnreadableDecisionIsAProblemThatSaysWhere() {
    writeDecision("not json");

    Answer answer = api.get("/api/v1/admin/fleet", admin);

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.text("detail")).contains(RedisKeys.FLEET_DECISION);
  }

  @Test
  void anAdminSetsAndLiftsABudgetAndTheListShowsItWithThisMonthsSpend() {
    String userEmail = "spender-" + UUID.randomUUID() + "@example.com";
    String user = api.signup(userEmail);
    UUID userId = fixtures.accountId(user);
    String job = fixtures.submittedJob(user);
    // Two agent-hours this month and ten last year: only this month counts.
    fixtures.sql(
        "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
            + " state, agent_seconds, updated_at) select j.id, 0, 0, i.file_id, 0, 1, ?,"
            + " 7200, now() from jobs j join job_inputs i on i.job_id = j.id where j.id = ?",
        ShardState.DONE.name(),
        UUID.fromString(job));
    fixtures.sql(
        "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
            + " state, agent_seconds, updated_at) select j.id, 1, 0, i.file_id, 1, 2, ?,"
            + " 36000, now() - interval '400 days' from jobs j join job_inputs i"
            + " on i.job_id = j.id where j.id = ?",
        ShardState.DONE.name(),
        UUID.fromString(job));

    Answer set =
        api.call(
            "PUT",
            "/api/v1/admin/accounts/" + userId + "/budget",
            admin,
            "{\"monthlyBudgetUsd\": 250.5}");

    assertThat(set.status()).isEqualTo(200);
    assertThat(set.body().get("monthlyBudgetUsd").asDouble()).isEqualTo(250.5);
    assertThat(set.body().get("monthSpendUsd").asDouble())
        .isCloseTo(2 * HOURLY_PRICE, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode listed = accountNamed(userEmail);
    assertThat(listed.get("monthlyBudgetUsd").asDouble()).isEqualTo(250.5);
    assertThat(listed.get("monthSpendUsd").asDouble())
        .isCloseTo(2 * HOURLY_PRICE, org.assertj.core.data.Offset.offset(1e-9));
    JsonNode audit = lastAudit();
    assertThat(audit.get("action").asText()).isEqualTo("account.budget");
    assertThat(audit.get("targetId").asText()).isEqualTo(userId.toString());
    assertThat(audit.get("detailJson").asText()).contains("250.5");

    // A budget below this month's spend refuses the account's next submission.
    api.call(
        "PUT", "/api/v1/admin/accounts/" + userId + "/budget", admin, "{\"monthlyBudgetUsd\": 1}");
    Answer refused =
        api.post(
            "/api/v1/jobs",
            user,
            Map.of("processor", "parse", "inputs", List.of(fixtures.readyFile(user))));
    assertThat(refused.status()).isEqualTo(402);

    Answer lifted =
        api.call(
            "PUT",
            "/api/v1/admin/accounts/" + userId + "/budget",
            admin,
            "{\"monthlyBudgetUsd\": null}");
    assertThat(lifted.status()).isEqualTo(200);
    assertThat(lifted.body().get("monthlyBudgetUsd").isNull()).isTrue();
    assertThat(accountNamed(userEmail).get("monthlyBudgetUsd").isNull()).isTrue();
    assertThat(lastAudit().get("detailJson").asText()).contains("none");
  }

  @Test
  void badBudgetsAreRefusedWithProblems() {
    UUID userId = fixtures.accountId(api.newUser());
    String path = "/api/v1/admin/accounts/" + userId + "/budget";
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("{}", 400);
    expected.put("{\"monthlyBudgetUsd\": -1}", 422);
    expected.put("{\"monthlyBudgetUsd\": 1e12}", 422);
    expected.put("{\"monthlyBudgetUsd\": \"lots\"}", 400);
    expected.put("{\"monthlyBudgetUsd\": 5, \"currency\": \"EUR\"}", 400);
    List<String> wrong = new ArrayList<>();
    expected.forEach(
        (body, status) -> {
          Answer answer = api.call("PUT", path, admin, body);
          if (answer.status() != status
              || !answer.contentType().startsWith("application/problem+json")) {
            wrong.add(body + " -> " + answer.status() + " " + answer.raw().body());
          }
        });
    Answer unknown =
        api.call(
            "PUT",
            "/api/v1/admin/accounts/" + UUID.randomUUID() + "/budget",
            admin,
            "{\"monthlyBudgetUsd\": 5}");

    assertThat(wrong).isEmpty();
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(accountById(userId).get("monthlyBudgetUsd").isNull()).isTrue();
  }

  @Test
  void releasesWrittenByTheCliAreListedNewestFirst() {
    ReleaseLog log = new ReleaseLog(api.stack().s3Client(), opsBucket);
    Instant t0 = Instant.parse("2026-03-15T12:00:00Z");
    log.append(
        new ReleaseRecord(
            "r-1",
            t0,
            "ops-alice",
            "deploy",
            "web",
            "ami-0aaa",
            "blue",
            "green",
            Outcome.SUCCEEDED,
            "green is live"));
    log.append(
        new ReleaseRecord(
            "r-2",
            t0.plusSeconds(60),
            "ops-bob",
            "rollback",
            "web",
            null,
            "green",
            "blue",
            Outcome.ROLLED_BACK,
            "flipped back"));

    Answer all = api.get("/api/v1/admin/releases", admin);
    Answer newest = api.get("/api/v1/admin/releases?limit=1", admin);

    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().get("note").isNull()).isTrue();
    assertThat(all.body().get("items"))
        .extracting(r -> r.get("id").asText())
        .contains("r-2", "r-1");
    JsonNode first = all.body().get("items").get(0);
    assertThat(first.get("id").asText()).isEqualTo("r-2");
    assertThat(first.get("outcome").asText()).isEqualTo("ROLLED_BACK");
    assertThat(first.get("at").asText()).isEqualTo("2026-03-15T12:01:00Z");
    assertThat(first.get("actor").asText()).isEqualTo("ops-bob");
    assertThat(newest.body().get("items")).hasSize(1);
    assertThat(api.get("/api/v1/admin/audit?limit=2", admin).body().at("/items/1/action").asText())
        .isEqualTo("releases.list");
  }

  private static JsonNode accountNamed(String email) {
    for (JsonNode account :
        api.get("/api/v1/admin/accounts?limit=200", admin).body().get("items")) {
      if (account.get("email").asText().equals(email)) {
        return account;
      }
    }
    throw new AssertionError("no account " + email);
  }

  private static JsonNode accountById(UUID id) {
    for (JsonNode account :
        api.get("/api/v1/admin/accounts?limit=200", admin).body().get("items")) {
      if (account.get("id").asText().equals(id.toString())) {
        return account;
      }
    }
    throw new AssertionError("no account " + id);
  }

  /** The newest audit entry that is not a listing (of the audit log or the accounts). */
  private static JsonNode lastAudit() {
    for (JsonNode entry : api.get("/api/v1/admin/audit?limit=5", admin).body().get("items")) {
      String action = entry.get("action").asText();
      if (!action.equals("audit.list") && !action.equals("accounts.list")) {
        return entry;
      }
    }
    throw new AssertionError("no audit entry");
  }

  private static void writeDecision(String json) {
    redis.getBucket(RedisKeys.FLEET_DECISION, StringCodec.INSTANCE).set(json);
  }

  private static void writeAgent(Map<String, String> fields, Duration ttl) {
    var hash =
        redis.<String, String>getMap(RedisKeys.agent(fields.get("agentId")), StringCodec.INSTANCE);
    hash.putAll(fields);
    if (!ttl.isZero()) {
      hash.expire(ttl);
    }
  }

  /** An agent's status hash with the fields gpu-agent/README.md lists. */
  private static AgentFields agent(String id, String instance, String state, String leases) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("agentId", id);
    fields.put("instanceId", instance);
    fields.put("instanceType", "g4dn.xlarge");
    fields.put("ami", "ami-0123456789abcdef0");
    fields.put("version", "0.1.0");
    fields.put("gpu", "Tesla T4, 15360 MiB");
    fields.put("device", "GPU:0 (14.6 GiB)");
    fields.put("processors", "parse,tf-savedmodel");
    fields.put("state", state);
    fields.put("leases", leases);
    fields.put("shardsDone", "17");
    fields.put("shardsFailed", "1");
    fields.put("drainReason", "");
    fields.put("lastHeartbeat", "2026-03-15T12:00:05Z");
    return new AgentFields(fields);
  }

  private record AgentFields(Map<String, String> fields) {
    AgentFields with(String field, String value) {
      fields.put(field, value);
      return this;
    }
  }
}
