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
  private final SpendDao spend;
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
    this.spend = jdbi.onDemand(SpendDao.class);
    this.decisions = new FleetDecisionStore(redisson);
    this.history = new FleetHistoryStore(redisson);
    this.group = group;
    this.limits = limits;
    this.controller = new ScalingController(limits, scaleUpStep);
    this.pricing = pricing;
    this.clock = clock;
    this.queuedAtMaxFleet = queuedAtMaxFleet;
  }

  /** One look at the queue and one decision; answers false (nothing more to do right away). */
  public boolean tick() {
    Instant now = clock.instant();
    fleet.refresh();
    QueueStats stats = queueStats.get();
    long queued = stats.ready() + stats.delayed();
    long leased = stats.leased();
    double shardSeconds =
        spend
            .meanShardSeconds(now.minus(ScalingController.SERVICE_TIME_WINDOW), now)
            .orElse(ScalingController.DEFAULT_SHARD_SECONDS);
    double monthSpend = pricing.costUsd(spend.agentSeconds(BudgetCheck.monthStart(now), now));
    int current = fleet.size();
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
