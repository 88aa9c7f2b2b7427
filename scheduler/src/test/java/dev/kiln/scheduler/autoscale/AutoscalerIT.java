package dev.kiln.scheduler.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kiln.db.Databases;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import dev.kiln.model.fleet.ScalingController;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.fleet.FleetHistoryStore;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.SettableClock;
import dev.kiln.testkit.SpendRows;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * The autoscaler against the real work queue in Redis and shard history in PostgreSQL: it scales up
 * under a backlog, down after idling, stops at the global budget, and publishes each decision. Each
 * test works in a month of its own so their shard histories do not mix.
 */
@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoscalerIT {
  private static final Duration TEN_MINUTES_IDLE = Duration.ofMinutes(10);

  private DataSource database;
  private Jdbi jdbi;
  private RedissonClient redisson;
  private UUID owner;

  @BeforeAll
  void connect(TestStack stack) {
    database = stack.dataSource();
    jdbi = Databases.jdbi(database);
    redisson = RedisClients.create(stack.redisUri(), 4);
    owner = UUID.randomUUID();
    jdbi.useHandle(
        handle ->
            handle.execute(
                "insert into accounts (id, email, password_hash, role, created_at)"
                    + " values (?, ?, 'x', 'USER', now())",
                owner,
                owner + "@example.com"));
  }

  @AfterAll
  void disconnect() {
    redisson.shutdown();
  }

  @BeforeEach
  void emptyRedis() {
    redisson.getKeys().flushall();
  }

  @Test
  void aBacklogScalesUpToTheFleetMaximumOnceAndSaysWhy() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-03-15T12:00:00Z"));
    finishedShard(30, clock.instant().minus(Duration.ofMinutes(2)));
    finishedShard(50, clock.instant().minus(Duration.ofMinutes(3)));
    finishedShard(900, clock.instant().minus(Duration.ofMinutes(11)));
    RedisWorkQueue queue = queue(clock, 40);
    RecordingFleet fleet = new RecordingFleet(0);
    List<Long> atMax = new java.util.concurrent.CopyOnWriteArrayList<>();
    Autoscaler autoscaler =
        new Autoscaler(
            fleet,
            queue::stats,
            jdbi,
            redisson,
            "",
            limits(0, 5, Double.POSITIVE_INFINITY),
            ScalingController.NO_STEP_LIMIT,
            new Pricing(1.0),
            clock,
            atMax::add);

    autoscaler.tick();
    clock.advance(Duration.ofSeconds(5));
    autoscaler.tick();

    assertThat(fleet.resizes).containsExactly(5);
    assertThat(atMax).as("40 shards wait with the fleet at its maximum").containsExactly(40L, 40L);
    assertThat(fleet.refreshes).isEqualTo(2);
    FleetDecision decision = published();
    assertThat(decision.desired()).isEqualTo(5);
    assertThat(decision.current()).isEqualTo(5);
    assertThat(decision.queued()).isEqualTo(40);
    assertThat(decision.shardSeconds()).as("mean of the last ten minutes").isEqualTo(40.0);
    assertThat(decision.reason())
        .isEqualTo(
            "40 shards queued and 0 running at 40.0 s each: 5 agent(s) finish in about 320 s"
                + " (fleet maximum)");
    assertThat(decision.budgetCapped()).isFalse();
    assertThat(decision.budget()).isNull();
    assertThat(decision.at()).isEqualTo("2026-03-15T12:00:05Z");
    assertThat(decision.fleet()).isEqualTo("recording fleet");

    // The console's history: a decision is kept when it changes, a point a minute at most.
    FleetHistoryStore history = new FleetHistoryStore(redisson);
    assertThat(history.decisions()).hasSizeBetween(1, 2);
    assertThat(history.decisions().get(0).reason()).isEqualTo(decision.reason());
    assertThat(history.decisions().get(0).desired()).isEqualTo(5);
    assertThat(history.series())
        .extracting(FleetPoint::at, FleetPoint::agents, FleetPoint::backlog)
        .containsExactly(tuple(Instant.parse("2026-03-15T12:00:00Z"), 0, 40L));
    clock.advance(Duration.ofMinutes(1));
    autoscaler.tick();
    assertThat(history.series())
        .extracting(FleetPoint::agents)
        .as("oldest first")
        .containsExactly(0, 5);
  }

  @Test
  void anIdleFleetShrinksToItsMinimumOnlyAfterTheIdlePeriod() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-04-15T12:00:00Z"));
    RedisWorkQueue queue = queue(clock, 0);
    RecordingFleet fleet = new RecordingFleet(3);
    Autoscaler autoscaler = autoscaler(fleet, queue, limits(1, 5, Double.POSITIVE_INFINITY), clock);

    autoscaler.tick();
    clock.advance(Duration.ofMinutes(9));
    autoscaler.tick();
    assertThat(fleet.resizes)
        .as("the first decision, then no change while waiting")
        .containsExactly(3);
    assertThat(published().reason()).isEqualTo("idle for 540 s of 600 s before scaling to 1");
    assertThat(published().shardSeconds()).as("no shard finished lately").isEqualTo(10.0);

    clock.advance(Duration.ofMinutes(1));
    autoscaler.tick();
    assertThat(fleet.resizes).containsExactly(3, 1);
    assertThat(published().reason()).isEqualTo("idle for 600 s: scaling to 1");
    assertThat(published().desired()).isEqualTo(1);
    assertThat(published().current()).isEqualTo(3);
  }

  @Test
  void atTheGlobalBudgetTheFleetStopsGrowingAndTheConsoleIsTold() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-05-20T12:00:00Z"));
    finishedShard(360_000, Instant.parse("2026-04-30T23:59:59Z"));
    finishedShard(18_000, Instant.parse("2026-05-01T00:00:00Z"));
    finishedShard(18_000, Instant.parse("2026-05-19T08:00:00Z"));
    RedisWorkQueue queue = queue(clock, 100);
    RecordingFleet fleet = new RecordingFleet(2);
    Autoscaler autoscaler = autoscaler(fleet, queue, limits(0, 8, 10.0), clock);

    autoscaler.tick();

    assertThat(fleet.resizes).containsExactly(2);
    FleetDecision decision = published();
    assertThat(decision.budgetCapped()).isTrue();
    assertThat(decision.spend()).as("this month only, at $1 per agent-hour").isEqualTo(10.0);
    assertThat(decision.budget()).isEqualTo(10.0);
    assertThat(decision.reason())
        .isEqualTo(
            "global monthly budget reached (10.00 of 10.00): not scaling up; 100 shards wait");
  }

  @Test
  void underTheBudgetTheSameBacklogScalesUp() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-06-20T12:00:00Z"));
    finishedShard(18_000, Instant.parse("2026-06-19T08:00:00Z"));
    RedisWorkQueue queue = queue(clock, 100);
    RecordingFleet fleet = new RecordingFleet(2);
    Autoscaler autoscaler = autoscaler(fleet, queue, limits(0, 8, 10.0), clock);

    autoscaler.tick();

    assertThat(fleet.resizes).containsExactly(8);
    assertThat(published().budgetCapped()).isFalse();
    assertThat(published().spend()).isEqualTo(5.0);
  }

  private static CapacityLimits limits(int min, int max, double budget) {
    return new CapacityLimits(min, max, 1, Duration.ofMinutes(1), TEN_MINUTES_IDLE, budget);
  }

  private Autoscaler autoscaler(
      RecordingFleet fleet, RedisWorkQueue queue, CapacityLimits limits, SettableClock clock) {
    return new Autoscaler(
        fleet,
        queue::stats,
        jdbi,
        redisson,
        "",
        limits,
        ScalingController.NO_STEP_LIMIT,
        new Pricing(1.0),
        clock);
  }

  private FleetDecision published() {
    return new FleetDecisionStore(redisson).latest().orElseThrow();
  }

  /** A queue holding {@code shards} waiting shards of one job. */
  private RedisWorkQueue queue(SettableClock clock, int shards) {
    RedisWorkQueue queue = new RedisWorkQueue(redisson, clock);
    queue.ensureEpoch(1);
    UUID job = UUID.randomUUID();
    List<ShardTask> tasks =
        IntStream.range(0, shards)
            .mapToObj(
                idx ->
                    new ShardTask(
                        job,
                        idx,
                        owner,
                        "parse",
                        0,
                        3,
                        "uploads",
                        "in.csv",
                        idx * 10L,
                        idx * 10L + 10,
                        shards * 10L,
                        "CSV",
                        null,
                        null,
                        null,
                        Map.of(),
                        "results"))
            .toList();
    if (!tasks.isEmpty()) {
      assertThat(queue.enqueue(tasks)).hasValue(shards);
    }
    return queue;
  }

  /** A finished shard of its own job that took {@code agentSeconds}, last updated {@code at}. */
  private void finishedShard(double agentSeconds, Instant at) {
    SpendRows.finishedShard(database, owner, agentSeconds, at, null);
  }
}
