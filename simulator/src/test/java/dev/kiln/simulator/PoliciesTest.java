package dev.kiln.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoliciesTest {
  @Test
  void queueDepthAsksForOneAgentPerShardsAndDropsToZeroAtOnce() {
    QueueDepthPolicy policy = new QueueDepthPolicy(4, 10);
    assertThat(policy.desired(new GroupView(0, 9, 0, 10, 0))).isEqualTo(3);
    assertThat(policy.desired(new GroupView(5, 100, 0, 10, 3))).isEqualTo(10);
    assertThat(policy.desired(new GroupView(10, 0, 0, 10, 10))).isZero();
    assertThat(policy.protectsBusyAgents()).isFalse();
  }

  @Test
  void kilnWaitsItsIdleTimeBeforeZero() {
    KilnPolicy policy = new KilnPolicy(KilnPolicy.KilnParameters.DEFAULTS.withIdleBeforeZero(120));
    assertThat(policy.desired(new GroupView(0, 30, 0, 60, 0))).isEqualTo(6);
    assertThat(policy.desired(new GroupView(60, 0, 0, 60, 6))).isEqualTo(6);
    assertThat(policy.desired(new GroupView(180, 0, 0, 60, 6))).isZero();
    assertThat(policy.protectsBusyAgents()).isTrue();
  }
}
