package dev.kiln.scheduler.autoscale;

import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.CapacityDecision;
import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import dev.kiln.model.fleet.ScalingController;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.fleet.FleetHistoryStore;
import dev.kiln.protocol.queue.QueueStats;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the fleet: each {@link #tick()} gathers backlog and work in flight (queue stats), the
 * recent mean shard service time and month-to-date spend (Postgres) and the fleet size, hands them
 * to the {@link ScalingController} (the decision itself, which the demand simulator runs too),
 * resizes the fleet when the answer changes and publishes the decision through {@link
 * FleetDecisionStore} for the console, with the main fleet's history (decisions that changed, one
 * point a minute) through {@link FleetHistoryStore}. One per agent group ({@code group} names it,
 * empty for the main fleet), each sized from its own backlog. Run by one leader-only poller thread;
 * not thread-safe.
 */
public final class Autoscaler {

  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

  private final Fleet fleet;
  private final Supplier<QueueStats> queueStats;
  private final SpendDao spendDao;
  private Spend lastSpend;
  private final FleetDecisionStore decisions;
  private final FleetHistoryStore history;
  private final String group;
  private final CapacityLimits limits;
  private final ScalingController controller;
  private final Pricing pricing;
  private final Clock clock;
  private final LongConsumer queuedAtMaxFleet;

  public Autoscaler(
      Fleet fleet,
      Supplier<QueueStats> queueStats,
      Jdbi jdbi,
      RedissonClient redisson,
      String group,
      CapacityLimits limits,
      int scaleUpStep,
      Pricing pricing,
      Clock clock) {
    this(
        fleet,
        queueStats,
        jdbi,
        redisson,
        group,
        limits,
        scaleUpStep,
        pricing,
        clock,
        shards -> {});
  }

  /**
   * @param queuedAtMaxFleet told at every tick the shards that wait while the fleet cannot grow (at
   *     its maximum, or stopped by the budget), 0 otherwise: the backlog alarm's metric
   */
  public Autoscaler(
      Fleet fleet,
      Supplier<QueueStats> queueStats,
      Jdbi jdbi,
      RedissonClient redisson,
      String group,
      CapacityLimits limits,
      int scaleUpStep,
      Pricing pricing,
      Clock clock,
      LongConsumer queuedAtMaxFleet) {
    this.fleet = fleet;
    this.queueStats = queueStats;
    this.spendDao = jdbi.onDemand(SpendDao.class);
    this.decisions = new FleetDecisionStore(redisson);
    this.history = new FleetHistoryStore(redisson);
    this.group = group;
    this.limits = limits;
    this.controller = new ScalingController(limits, scaleUpStep);
    this.pricing = pricing;
    this.clock = clock;
    this.queuedAtMaxFleet = queuedAtMaxFleet;
  }

  /**
   * What the fleet spent this month and how long its recent shards took, and whether the fleet was
   * idle when they were read.
   */
  private record Spend(Instant monthStart, double monthUsd, double shardSeconds, boolean idle) {}

  /**
   * The spend as the database has it; while nothing is queued, leased or running, the one read at
   * an earlier idle look this month is reused, since no agent time was added since: an idle fleet
   * asks the database nothing.
   */
  private Spend spend(Instant now, boolean idle) {
    Instant monthStart = BudgetCheck.monthStart(now);
    Spend last = lastSpend;
    if (idle && last != null && last.idle() && last.monthStart().equals(monthStart)) {
      return last;
    }
    double shardSeconds =
        spendDao
            .meanShardSeconds(now.minus(ScalingController.SERVICE_TIME_WINDOW), now)
            .orElse(ScalingController.DEFAULT_SHARD_SECONDS);
    double monthUsd = pricing.costUsd(spendDao.agentSeconds(monthStart, now));
    lastSpend = new Spend(monthStart, monthUsd, shardSeconds, idle);
    return lastSpend;
  }

  /** One look at the queue and one decision; answers false (nothing more to do right away). */
  public boolean tick() {
    Instant now = clock.instant();
    fleet.refresh();
    QueueStats stats = queueStats.get();
    long queued = stats.ready() + stats.delayed();
    long leased = stats.leased();
    int current = fleet.size();
    Spend spent = spend(now, queued + leased + current == 0);
    double shardSeconds = spent.shardSeconds();
    double monthSpend = spent.monthUsd();
    ScalingController.Step step =
        controller.look(now, queued, leased, shardSeconds, current, monthSpend);
    CapacityDecision decision = step.decision();
    if (step.resize()) {
      LOG.info(
          "{}: {} -> {} agents: {}",
          fleet.describe(),
          current,
          decision.desiredAgents(),
          decision.reason());
      fleet.resize(decision.desiredAgents());
    }
    boolean cannotGrow = decision.budgetCapped() || decision.desiredAgents() >= limits.maxAgents();
    queuedAtMaxFleet.accept(cannotGrow ? queued : 0);
    FleetDecision published =
        new FleetDecision(
            decision.desiredAgents(),
            current,
            decision.reason(),
            decision.budgetCapped(),
            monthSpend,
            Double.isInfinite(limits.monthlyBudget()) ? null : limits.monthlyBudget(),
            now,
            fleet.describe(),
            queued,
            leased,
            shardSeconds);
    decisions.publish(group, published);
    if (group.isEmpty()) {
      history.recordDecision(published);
      history.recordPoint(new FleetPoint(now, current, queued + leased, monthSpend));
    }
    return false;
  }
}
