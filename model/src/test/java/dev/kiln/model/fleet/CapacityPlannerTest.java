package dev.kiln.model.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {
  private static final CapacityLimits LIMITS =
      new CapacityLimits(0, 10, 2, Duration.ofMinutes(5), Duration.ofMinutes(10), 500);
  private final CapacityPlanner planner = new CapacityPlanner(LIMITS);

  @Test
  void aBacklogGetsEnoughAgentsToDrainInTheTargetTime() {
    // 600 shards x 10 s = 6000 slot-seconds; 2 slots x 300 s = 600 per agent -> 10 agents.
    CapacityDecision decision = planner.decide(busy(600, 0, 10.0, 1, 0));

    assertThat(decision.desiredAgents()).isEqualTo(10);
    assertThat(decision.reason()).contains("600 shards queued").contains("fleet maximum");
  }

  @Test
  void aSmallBacklogGetsOneAgent() {
    assertThat(planner.decide(busy(3, 0, 2.0, 0, 0)).desiredAgents()).isEqualTo(1);
  }

  @Test
  void busyAgentsAreKeptWhileTheirLeasesRun() {
    assertThat(planner.decide(busy(0, 8, 0.1, 4, 0)).desiredAgents()).isEqualTo(4);
  }

  @Test
  void anIdleFleetWaitsThenScalesToZero() {
    CapacityDecision waiting = planner.decide(idle(3, Duration.ofMinutes(4)));
    CapacityDecision zero = planner.decide(idle(3, Duration.ofMinutes(10)));

    assertThat(waiting.desiredAgents()).isEqualTo(3);
    assertThat(waiting.reason()).contains("240 s of 600 s");
    assertThat(zero.desiredAgents()).isZero();
    assertThat(zero.reason()).contains("scaling to 0");
  }

  @Test
  void theBudgetStopsGrowthButNotWork() {
    CapacityDecision decision = planner.decide(busy(600, 0, 10.0, 2, 500));

    assertThat(decision.desiredAgents()).isEqualTo(2);
    assertThat(decision.budgetCapped()).isTrue();
    assertThat(decision.reason()).contains("budget reached (500.00 of 500.00)");
  }

  @Test
  void theMinimumIsKept() {
    CapacityPlanner warm =
        new CapacityPlanner(new CapacityLimits(1, 4, 1, Duration.ofMinutes(1), Duration.ZERO, 100));

    assertThat(warm.decide(idle(0, Duration.ofHours(1))).desiredAgents()).isEqualTo(1);
  }

  private static CapacityInputs busy(
      long queued, long leased, double seconds, int agents, double spend) {
    return new CapacityInputs(queued, leased, seconds, agents, Duration.ZERO, spend);
  }

  private static CapacityInputs idle(int agents, Duration idleFor) {
    return new CapacityInputs(0, 0, 1.0, agents, idleFor, 0);
  }
}
