package dev.kiln.model.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.JobParams;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private static final long MIB = 1024 * 1024;
  private final ShardPlanner planner = new ShardPlanner(10_000);

  @Test
  void rangesCoverEachInputWithoutGapsOrOverlap() {
    List<ByteRange> plan = planner.plan(List.of(200 * MIB, 10L, 0L), 64 * MIB, true);

    assertThat(plan)
        .containsExactly(
            new ByteRange(0, 0, 64 * MIB),
            new ByteRange(0, 64 * MIB, 128 * MIB),
            new ByteRange(0, 128 * MIB, 200 * MIB),
            new ByteRange(1, 0, 10),
            new ByteRange(2, 0, 0));
  }

  @Test
  void anInputThatCannotBeSplitIsOneShardAmongSplitOnes() {
    List<ByteRange> plan =
        planner.plan(List.of(128 * MIB, 128 * MIB), 64 * MIB, List.of(false, true));

    assertThat(plan)
        .containsExactly(
            new ByteRange(0, 0, 128 * MIB),
            new ByteRange(1, 0, 64 * MIB),
            new ByteRange(1, 64 * MIB, 128 * MIB));
  }

  @Test
  void aSmallRemainderJoinsTheLastShard() {
    List<ByteRange> plan = planner.plan(List.of(129 * MIB), 64 * MIB, true);

    assertThat(plan)
        .containsExactly(new ByteRange(0, 0, 64 * MIB), new ByteRange(0, 64 * MIB, 129 * MIB));
  }

  @Test
  void unsplittableInputsAreOneShardEach() {
    assertThat(planner.plan(List.of(500 * MIB, 3 * MIB), 64 * MIB, false))
        .containsExactly(new ByteRange(0, 0, 500 * MIB), new ByteRange(1, 0, 3 * MIB));
  }

  @Test
  void tooManyShardsIsRefusedWithAWayOut() {
    ShardPlanner small = new ShardPlanner(3);

    assertThatThrownBy(() -> small.plan(List.of(10 * MIB), JobParams.MIN_SHARD_BYTES, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 3 shards")
        .hasMessageContaining("raise shardBytes");
  }

  @Test
  void tinyShardSizesAreRefused() {
    assertThatThrownBy(() -> planner.plan(List.of(10L), JobParams.MIN_SHARD_BYTES - 1, true))
        .hasMessageContaining("at least " + JobParams.MIN_SHARD_BYTES);
    assertThat(planner.plan(List.of(10L), JobParams.MIN_SHARD_BYTES, true)).hasSize(1);
  }
}
