package dev.kiln.model.credits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a job is expected to cost before it runs, the credits its submission reserves: its shards
 * (from input sizes and the shard size, as the planner will cut them) times a configured
 * agent-seconds per shard, at the hourly price. Pure.
 *
 * @param secondsPerShard expected agent-seconds of one shard
 * @param hourlyUsd the price of one agent-hour
 */
public record CreditEstimate(double secondsPerShard, double hourlyUsd) {
  public CreditEstimate {
    if (!(secondsPerShard >= 0) || !(hourlyUsd >= 0)) {
      throw new IllegalArgumentException("an estimate needs seconds per shard and a price >= 0");
    }
  }

  /** USD to reserve for inputs of {@code sizes} cut into shards of {@code shardBytes}. */
  public BigDecimal reserveUsd(List<Long> sizes, long shardBytes) {
    long shards = 0;
    for (long size : sizes) {
      shards += size <= 0 ? 1 : 1 + (size - 1) / shardBytes;
    }
    return reserveUsd(shards);
  }

  /** USD to reserve for {@code shards} shards (a retry runs its job's unfinished ones again). */
  public BigDecimal reserveUsd(long shards) {
    return BigDecimal.valueOf(shards * secondsPerShard * hourlyUsd / 3600)
        .setScale(6, RoundingMode.UP);
  }
}
