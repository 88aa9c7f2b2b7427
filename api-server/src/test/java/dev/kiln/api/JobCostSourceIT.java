package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.ShardState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/jobs/{id}/cost} prices each shard at the AWS price in effect when it ran where
 * one was fetched, at the configured price where none was, and says which per machine.
 */
@ExtendWith(KilnStackExtension.class)
class JobCostSourceIT {
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
  void theCostViewSaysWhetherEachMachineWasPricedFromAwsOrFromConfiguration() {
    String token = api.newUser();
    UUID job = UUID.fromString(fixtures.succeededJob(token, "out\n"));
    Instant ran = Instant.now().minus(Duration.ofMinutes(10));
    shard(job, 0, "g4dn.xlarge", "spot", "us-east-1a", 3600, ran);
    shard(job, 1, "c7g.large", "spot", "us-east-1a", 3600, ran);
    shard(job, 2, "g4dn.xlarge", "on-demand", "us-east-1b", 1800, ran);
    price(
        "g4dn.xlarge",
        "spot",
        "us-east-1a",
        0.18,
        ran.minus(Duration.ofHours(1)),
        "spot-price-history");
    price(
        "g4dn.xlarge",
        "spot",
        "us-east-1a",
        9.0,
        ran.plus(Duration.ofMinutes(5)),
        "spot-price-history");
    price(
        "g4dn.xlarge",
        "on-demand",
        "us-east-1",
        0.5,
        ran.minus(Duration.ofDays(30)),
        "pricing-api");

    Answer cost = api.get("/api/v1/jobs/" + job + "/cost", token);

    assertThat(cost.status()).isEqualTo(200);
    JsonNode machines = cost.body().get("machines");
    assertThat(machines).hasSize(3);
    assertMachine(machines.get(0), "c7g.large", "spot", 0.029, "configured");
    assertMachine(machines.get(1), "g4dn.xlarge", "on-demand", 0.5, "pricing-api");
    assertMachine(machines.get(2), "g4dn.xlarge", "spot", 0.18, "spot-price-history");
    assertThat(cost.body().get("spotUsd").asDouble()).isEqualTo(0.209);
    assertThat(cost.body().get("onDemandUsd").asDouble()).isEqualTo(0.25);
    assertThat(cost.body().get("usd").asDouble()).isEqualTo(0.459);
    assertThat(cost.body().get("onDemandEquivalentUsd").asDouble()).isEqualTo(0.8225);
  }

  private static void assertMachine(
      JsonNode machine, String type, String option, double hourlyUsd, String source) {
    assertThat(machine.get("instanceType").asText()).isEqualTo(type);
    assertThat(machine.get("purchaseOption").asText()).isEqualTo(option);
    assertThat(machine.get("hourlyUsd").asDouble()).isEqualTo(hourlyUsd);
    assertThat(machine.get("priceSource").asText()).isEqualTo(source);
  }

  private static void shard(
      UUID job, int idx, String type, String option, String zone, double seconds, Instant at) {
    fixtures.sql(
        "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
            + " state, attempt, agent_seconds, instance_type, purchase_option, availability_zone,"
            + " updated_at) select j.id, ?, 0, i.file_id, ?, ?, ?, 1, ?, ?, ?, ?, ? from jobs j"
            + " join job_inputs i on i.job_id = j.id where j.id = ?",
        idx,
        (long) idx,
        (long) idx + 1,
        ShardState.DONE.name(),
        seconds,
        type,
        option,
        zone,
        at,
        job);
  }

  private static void price(
      String type, String option, String location, double usd, Instant effective, String source) {
    fixtures.sql(
        "insert into instance_prices (instance_type, purchase_option, region, location,"
            + " usd_per_hour, effective_at, fetched_at, source) values (?, ?, 'us-east-1', ?, ?, ?,"
            + " ?, ?)",
        type,
        option,
        location,
        usd,
        effective,
        Instant.now(),
        source);
  }
}
