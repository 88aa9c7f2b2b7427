package dev.kiln.scheduler.autoscale;

import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.Pricing;
import dev.kiln.model.fleet.CapacityDecision;
import dev.kiln.model.fleet.CapacityInputs;
import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.model.fleet.CapacityPlanner;
import dev.kiln.model.fleet.Fleet;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.fleet.FleetHistoryStore;
import dev.kiln.protocol.queue.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the fleet: each {@link #tick()} gathers backlog and work in flight (queue stats), the
 * recent mean shard service time and month-to-date spend (Postgres), the fleet size and how long
 * the queue has been empty, asks the {@link CapacityPlanner}, resizes the fleet when the answer
 * changes and publishes the decision through {@link FleetDecisionStore} for the console, with its
 * history (decisions that changed, one point a minute) through {@link FleetHistoryStore}. Run by
 * one leader-only poller thread; not thread-safe.
 */
public final class Autoscaler {
  /** Shards finished within this window give the mean service time. */
  public static final Duration SERVICE_TIME_WINDOW = Duration.ofMinutes(10);

  /** The service time assumed when no shard finished within the window. */
  public static final double DEFAULT_SHARD_SECONDS = 10.0;

  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

  private final Fleet fleet;
  private final Supplier<QueueStats> queueStats;
  private final SpendDao spend;
  private final FleetDecisionStore decisions;
  private final FleetHistoryStore history;
  private final CapacityLimits limits;
  private final CapacityPlanner planner;
  private final Pricing pricing;
  private final Clock clock;
  private final LongConsumer queuedAtMaxFleet;
  private Instant lastBusy;
  private int lastDesired = -1;

  public Autoscaler(
      Fleet fleet,
      Supplier<QueueStats> queueStats,
      Jdbi jdbi,
      RedissonClient redisson,
      CapacityLimits limits,
      Pricing pricing,
      Clock clock) {
    this(fleet, queueStats, jdbi, redisson, limits, pricing, clock, shards -> {});
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
      CapacityLimits limits,
      Pricing pricing,
      Clock clock,
      LongConsumer queuedAtMaxFleet) {
    this.queuedAtMaxFleet = queuedAtMaxFleet;
    this.fleet = fleet;
    this.queueStats = queueStats;
    this.spend = jdbi.onDemand(SpendDao.class);
    this.decisions = new FleetDecisionStore(redisson);
    this.history = new FleetHistoryStore(redisson);
    this.limits = limits;
    this.planner = new CapacityPlanner(limits);
    this.pricing = pricing;
    this.clock = clock;
  }

  /** One look at the queue and one decision; answers false (nothing more to do right away). */
  public boolean tick() {
    Instant now = clock.instant();
    fleet.refresh();
    QueueStats stats = queueStats.get();
    long queued = stats.ready() + stats.delayed();
    long leased = stats.leased();
    if (lastBusy == null || queued + leased > 0) {
      lastBusy = now;
    }
    double shardSeconds =
        spend.meanShardSeconds(now.minus(SERVICE_TIME_WINDOW), now).orElse(DEFAULT_SHARD_SECONDS);
    double monthSpend = pricing.costUsd(spend.agentSeconds(BudgetCheck.monthStart(now), now));
    int current = fleet.size();
    CapacityDecision decision =
        planner.decide(
            new CapacityInputs(
                queued,
                leased,
                shardSeconds,
                current,
                Duration.between(lastBusy, now),
                monthSpend));
    if (decision.desiredAgents() != lastDesired) {
      LOG.info(
          "{}: {} -> {} agents: {}",
          fleet.describe(),
          current,
          decision.desiredAgents(),
          decision.reason());
      fleet.resize(decision.desiredAgents());
      lastDesired = decision.desiredAgents();
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
    decisions.publish(published);
    history.recordDecision(published);
    history.recordPoint(new FleetPoint(now, current, queued + leased, monthSpend));
    return false;
  }
}
