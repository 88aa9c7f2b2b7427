package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateTransitionTest {
  @Test
  void jobTransitionTableIsExactlyTheIntendedOne() {
    assertJob(JobState.SUBMITTED, JobState.RUNNING, JobState.FAILED, JobState.CANCELLED);
    assertJob(JobState.RUNNING, JobState.ASSEMBLING, JobState.FAILED, JobState.CANCELLED);
    assertJob(JobState.ASSEMBLING, JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
    assertJob(JobState.SUCCEEDED);
    assertJob(JobState.FAILED, JobState.RUNNING);
    assertJob(JobState.CANCELLED, JobState.RUNNING, JobState.SUBMITTED);
  }

  @Test
  void terminalJobStatesAreTheEndingOnes() {
    assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isTerminal))
        .containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);
  }

  @Test
  void sourcesOfIsTheInverseOfTheTable() {
    assertThat(JobState.sourcesOf(JobState.CANCELLED))
        .containsExactlyInAnyOrder(JobState.SUBMITTED, JobState.RUNNING, JobState.ASSEMBLING);
    assertThat(JobState.sourcesOf(JobState.RUNNING))
        .containsExactlyInAnyOrder(JobState.SUBMITTED, JobState.FAILED, JobState.CANCELLED);
    assertThat(JobState.sourcesOf(JobState.SUBMITTED)).containsExactly(JobState.CANCELLED);
  }

  @Test
  void shardTransitionTableIsExactlyTheIntendedOne() {
    for (ShardState from : ShardState.values()) {
      Set<ShardState> expected =
          switch (from) {
            case QUEUED -> EnumSet.of(ShardState.DONE, ShardState.DEAD, ShardState.CANCELLED);
            case DEAD -> EnumSet.of(ShardState.QUEUED);
            case CANCELLED -> EnumSet.of(ShardState.QUEUED);
            case DONE -> EnumSet.noneOf(ShardState.class);
          };
      for (ShardState to : ShardState.values()) {
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected.contains(to));
      }
    }
  }

  @Test
  void filesOnlyBecomeReady() {
    assertThat(FileState.PENDING.canMoveTo(FileState.READY)).isTrue();
    assertThat(FileState.READY.canMoveTo(FileState.PENDING)).isFalse();
    assertThat(FileState.READY.canMoveTo(FileState.READY)).isFalse();
  }

  private static void assertJob(JobState from, JobState... allowed) {
    Set<JobState> expected = EnumSet.noneOf(JobState.class);
    expected.addAll(Set.of(allowed));
    for (JobState to : JobState.values()) {
      assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected.contains(to));
    }
  }
}
