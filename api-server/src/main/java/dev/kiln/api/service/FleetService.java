package dev.kiln.api.service;

import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.FleetView;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the scheduler and the agents publish in Redis about the fleet: the autoscaler's latest
 * decision and the agents' statuses, through the protocol's stores. Thread-safe.
 */
public final class FleetService {
  private static final Logger LOG = LoggerFactory.getLogger(FleetService.class);

  private final FleetDecisionStore decisions;
  private final AgentStatusStore agents;
  private final Clock clock;

  public FleetService(RedissonClient redisson, Clock clock) {
    this.decisions = new FleetDecisionStore(redisson);
    this.agents = new AgentStatusStore(redisson);
    this.clock = clock;
  }

  public FleetView fleet() {
    FleetDecision decision = decision();
    Long age =
        decision == null || decision.at() == null
            ? null
            : Math.max(0, Duration.between(decision.at(), clock.instant()).toSeconds());
    boolean capped = decision != null && decision.budgetCapped();
    return new FleetView(
        decision, age, capped, capped ? budgetNotice(decision) : null, agents.all());
  }

  /** The sentence the console puts first when the global budget holds the fleet back. */
  static String budgetNotice(FleetDecision decision) {
    String budget =
        decision.budget() == null
            ? "the global monthly budget"
            : String.format(
                Locale.ROOT,
                "the global monthly budget of $%.2f ($%.2f spent this month)",
                decision.budget(),
                decision.spend());
    return "The fleet is capped by budget: "
        + budget
        + " stops it from growing beyond "
        + decision.desired()
        + " agent(s) while "
        + decision.queued()
        + " shard(s) wait. Raise fleet.monthlyBudgetUsd in the scheduler's configuration to let it"
        + " grow. Autoscaler: "
        + decision.reason();
  }

  private FleetDecision decision() {
    try {
      return decisions.latest().orElse(null);
    } catch (FleetDecisionStore.UnreadableDecisionException e) {
      LOG.warn("{}", e.getMessage(), e);
      throw ApiException.unavailable(
          "The autoscaler's decision in Redis ("
              + RedisKeys.FLEET_DECISION
              + ") is not readable JSON; check that the scheduler and the API run the same"
              + " version.");
    }
  }
}
