package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.spend.InstancePrices;
import dev.kiln.db.spend.MachineSeconds;
import dev.kiln.model.FetchedPrice;
import dev.kiln.model.JobCost;
import dev.kiln.model.JobState;
import dev.kiln.model.PriceSource;
import dev.kiln.model.PriceTable;
import dev.kiln.model.Pricing;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A job run by an agent on a spot g4dn.xlarge in us-east-1a is charged, shard by shard, the spot
 * price of that zone in effect when the shard ran: not a later price, not another zone's, and the
 * configured price where nothing was fetched.
 */
@ExtendWith(KilnStackExtension.class)
class ShardPricingIT {
  private static final PriceTable CONFIGURED =
      new PriceTable(
          new Pricing(0.526), Map.of("g4dn.xlarge", new PriceTable.InstancePrice(7.2, 3.6)));

  private static StackClients clients;
  private static Jdbi jdbi;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void aSpotShardIsChargedTheSpotPriceOfItsZoneInEffectWhenItRan() {
    UUID jobId = runJob();
    Instant ended = lastShardEnd(jobId);
    double seconds = fixtures().job(jobId).agentSeconds();
    assertThat(zones(jobId)).containsOnly("us-east-1a");
    JobCost before = cost(jobId);

    jdbi.useTransaction(
        handle ->
            InstancePrices.store(
                handle,
                List.of(
                    FetchedPrice.spot(
                        "g4dn.xlarge",
                        "us-east-1",
                        "us-east-1a",
                        0.36,
                        ended.minus(Duration.ofHours(3))),
                    FetchedPrice.spot(
                        "g4dn.xlarge",
                        "us-east-1",
                        "us-east-1a",
                        36,
                        ended.minus(Duration.ofHours(1))),
                    FetchedPrice.spot(
                        "g4dn.xlarge",
                        "us-east-1",
                        "us-east-1a",
                        720,
                        ended.plus(Duration.ofHours(1))),
                    FetchedPrice.spot(
                        "g4dn.xlarge",
                        "us-east-1",
                        "us-east-1b",
                        3600,
                        ended.minus(Duration.ofHours(1))),
                    FetchedPrice.onDemand(
                        "g4dn.xlarge", "us-east-1", 72, ended.minus(Duration.ofDays(30)))),
                Instant.now()));
    JobCost after = cost(jobId);
    List<MachineSeconds> rows = jdbi.withHandle(handle -> MachineSeconds.ofJob(handle, jobId));

    assertThat(seconds).isPositive();
    assertThat(before.spotUsd()).isCloseTo(seconds * 3.6 / 3600, within(1e-9));
    assertThat(after.spotUsd()).isCloseTo(seconds * 36 / 3600, within(1e-9));
    assertThat(after.onDemandEquivalentUsd()).isCloseTo(seconds * 72 / 3600, within(1e-9));
    assertThat(after.otherUsd()).isZero();
    assertThat(rows)
        .extracting(row -> row.price(CONFIGURED).source())
        .containsOnly(PriceSource.SPOT_PRICE_HISTORY);
  }

  private static Fixtures fixtures() {
    return new Fixtures(jdbi, clients.store());
  }

  private static JobCost cost(UUID jobId) {
    return jdbi.withHandle(
        handle -> MachineSeconds.cost(MachineSeconds.ofJob(handle, jobId), CONFIGURED));
  }

  private static Instant lastShardEnd(UUID jobId) {
    return jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select max(updated_at) from shards where job_id = :jobId")
                    .bind("jobId", jobId)
                    .mapTo(OffsetDateTime.class)
                    .one())
        .toInstant();
  }

  private static List<String> zones(UUID jobId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("select availability_zone from shards where job_id = :jobId")
                .bind("jobId", jobId)
                .mapTo(String.class)
                .list());
  }

  /** Runs a three-row job through a real scheduler and a test agent to its end. */
  private static UUID runJob() {
    Fixtures fixtures = fixtures();
    try (Scheduler scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            clients.store(),
            SchedulerSettings.defaults("prices-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry())) {
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
      try (TestAgent agent =
          new TestAgent(
                  "prices-agent",
                  scheduler.queue(),
                  clients.store(),
                  4,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(2),
                  lease -> {})
              .start()) {
        UUID owner = fixtures.account();
        StoredFile input = fixtures.upload(owner, "rows.csv", "id,name\n1,a\n2,b\n3,c\n");
        UUID jobId = fixtures.submit(owner, TestAgent.PROCESSOR, "{}", 0, List.of(input));
        clients.redisson().getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> fixtures.job(jobId).state() == JobState.SUCCEEDED);
        return jobId;
      }
    }
  }
}
