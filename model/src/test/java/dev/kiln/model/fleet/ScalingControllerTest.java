package dev.kiln.model.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScalingControllerTest {
  private static final CapacityLimits LIMITS =
      new CapacityLimits(0, 20, 1, Duration.ofMinutes(1), Duration.ofMinutes(5), 1_000);
  private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void anIdleFleetWaitsTheIdleTimeThenScalesToItsMinimum() {
    ScalingController controller = new ScalingController(LIMITS);
    controller.look(START, 3, 0, 10, 0, 0);
    assertThat(controller.look(START.plusSeconds(60), 0, 0, 10, 1, 0).decision().desiredAgents())
        .isEqualTo(1);
    ScalingController.Step idle = controller.look(START.plusSeconds(300), 0, 0, 10, 1, 0);
    assertThat(idle.decision().desiredAgents()).isZero();
    assertThat(idle.decision().reason()).contains("idle for 300 s");
    assertThat(idle.resize()).isTrue();
  }

  @Test
  void theFleetIsToldOnlyWhenTheAnswerChanges() {
    ScalingController controller = new ScalingController(LIMITS);
    assertThat(controller.look(START, 6, 0, 10, 0, 0).resize()).isTrue();
    assertThat(controller.look(START.plusSeconds(5), 6, 0, 10, 1, 0).resize()).isFalse();
    assertThat(controller.look(START.plusSeconds(10), 60, 0, 10, 1, 0).resize()).isTrue();
  }

  @Test
  void aScaleUpStepGrowsTheFleetByAtMostThatManyAgentsPerLook() {
    ScalingController controller = new ScalingController(LIMITS, 2);
    ScalingController.Step first = controller.look(START, 600, 0, 10, 0, 0);
    assertThat(first.decision().desiredAgents()).isEqualTo(2);
    assertThat(first.decision().reason()).contains("at most 2 per look");
    assertThat(controller.look(START.plusSeconds(5), 600, 0, 10, 2, 0).decision().desiredAgents())
        .isEqualTo(4);
    ScalingController unlimited = new ScalingController(LIMITS);
    assertThat(unlimited.look(START, 600, 0, 10, 0, 0).decision().desiredAgents()).isEqualTo(20);
  }

  @Test
  void aNegativeStepIsRefused() {
    assertThatThrownBy(() -> new ScalingController(LIMITS, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale-up step");
  }
}
