package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.JobState;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** A running job's progress includes what its running shards have read, as agents report it. */
@ExtendWith(KilnStackExtension.class)
class LiveProgressIT {
  private static ApiHarness api;
  private static Fixtures fixtures;
  private static RedissonClient redis;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
    redis = RedisClients.create(stack.redisUri(), 2);
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

  @Test
  void aRunningJobShowsRecordsAndShareOfItsRunningShards() {
    String user = api.newUser();
    UUID job = UUID.fromString(fixtures.submittedJob(user));
    fixtures.sql(
        "update jobs set state = ?, shards_total = 4, shards_done = 1, records = 100, errors = 2,"
            + " started_at = now() where id = ?",
        JobState.RUNNING.name(),
        job);
    new RunningShards(redis, Duration.ofMinutes(1))
        .report(
            List.of(
                new RunningShards.Report(job, 1, 30, 0.5),
                new RunningShards.Report(job, 2, 10, 0.25)));

    JsonNode progress = read(user, job).get("progress");

    assertThat(progress.get("records").asLong()).isEqualTo(140);
    assertThat(progress.get("recordsInRunningShards").asLong()).isEqualTo(40);
    assertThat(progress.get("shardsDone").asInt()).isEqualTo(1);
    assertThat(progress.get("percent").asDouble()).isEqualTo(43.8);
    assertThat(progress.get("errors").asLong()).isEqualTo(2);

    new RunningShards(redis).ended(job, 1);
    new RunningShards(redis).ended(job, 2);
    assertThat(read(user, job).get("progress").get("records").asLong()).isEqualTo(100);
    assertThat(read(user, job).get("progress").get("percent").asDouble()).isEqualTo(25.0);
  }

  @Test
  void aFinishedJobShowsItsRowAloneWhateverAShardLeftBehind() {
    String user = api.newUser();
    UUID job = UUID.fromString(fixtures.succeededJob(user, "{\"ok\":1}\n"));
    new RunningShards(redis, Duration.ofMinutes(1))
        .report(List.of(new RunningShards.Report(job, 0, 999, 0.9)));

    JsonNode progress = read(user, job).get("progress");

    assertThat(progress.get("recordsInRunningShards").asLong()).isZero();
    assertThat(progress.get("percent").asDouble()).isEqualTo(100.0);
  }

  private static JsonNode read(String user, UUID job) {
    return api.get("/api/v1/jobs/" + job, user).body();
  }
}
