package dev.kiln.model.plan;

import dev.kiln.model.JobParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits inputs into byte ranges from their sizes alone; it never reads the data. Pure and
 * thread-safe.
 *
 * <p>Every input gets at least one shard (an empty input gets one empty shard, so its output
 * exists). With {@code splittable == false} ({@code split=none}) each input is one shard. Otherwise
 * ranges are of {@code shardBytes}, and the last one of an input absorbs a remainder smaller than a
 * quarter shard so no shard is a sliver.
 */
public final class ShardPlanner {
  /** Default target shard size: 64 MiB. */
  public static final long DEFAULT_SHARD_BYTES = 64L * 1024 * 1024;

  private final int maxShardsPerJob;
  private final long minShardBytes;

  public ShardPlanner(int maxShardsPerJob) {
    this(maxShardsPerJob, JobParams.MIN_SHARD_BYTES);
  }

  /** A planner that accepts shards down to {@code minShardBytes} (tests and small-record work). */
  public ShardPlanner(int maxShardsPerJob, long minShardBytes) {
    this.maxShardsPerJob = maxShardsPerJob;
    this.minShardBytes = Math.max(1, minShardBytes);
  }

  /**
   * Plans the shards of inputs of the given sizes, in input order then offset order.
   *
   * @throws IllegalArgumentException if the plan would exceed the per-job shard limit
   */
  public List<ByteRange> plan(List<Long> inputSizes, long shardBytes, boolean splittable) {
    return plan(inputSizes, shardBytes, Collections.nCopies(inputSizes.size(), splittable));
  }

  /**
   * Plans as {@link #plan(List, long, boolean)}, with each input splittable or not on its own (a
   * compressed input is one shard).
   */
  public List<ByteRange> plan(List<Long> inputSizes, long shardBytes, List<Boolean> splittable) {
    return plan(inputSizes, shardBytes, splittable, Collections.nCopies(inputSizes.size(), null));
  }

  /**
   * Plans as {@link #plan(List, long, List)}; where {@code cuts} holds offsets for an input (the
   * starts of the files of an archive, ascending), its ranges begin only at those offsets (or 0): a
   * range gathers whole files until it holds {@code shardBytes}.
   */
  public List<ByteRange> plan(
      List<Long> inputSizes, long shardBytes, List<Boolean> splittable, List<long[]> cuts) {
    if (shardBytes < minShardBytes) {
      throw new IllegalArgumentException(
          "shardBytes must be at least " + minShardBytes + ", was " + shardBytes);
    }
    List<ByteRange> ranges = new ArrayList<>();
    for (int position = 0; position < inputSizes.size(); position++) {
      long size = inputSizes.get(position);
      if (!splittable.get(position) || size <= shardBytes) {
        ranges.add(new ByteRange(position, 0, size));
      } else if (cuts.get(position) != null) {
        addRangesAt(ranges, position, size, shardBytes, cuts.get(position));
      } else {
        addRanges(ranges, position, size, shardBytes);
      }
      if (ranges.size() > maxShardsPerJob) {
        throw new IllegalArgumentException(
            "the inputs would make more than "
                + maxShardsPerJob
                + " shards; raise shardBytes (now "
                + shardBytes
                + ")");
      }
    }
    return ranges;
  }

  private static void addRangesAt(
      List<ByteRange> ranges, int position, long size, long shardBytes, long[] cuts) {
    long start = 0;
    for (long cut : cuts) {
      if (cut - start >= shardBytes && cut < size) {
        ranges.add(new ByteRange(position, start, cut));
        start = cut;
      }
    }
    ranges.add(new ByteRange(position, start, size));
  }

  private static void addRanges(List<ByteRange> ranges, int position, long size, long shardBytes) {
    long start = 0;
    while (start < size) {
      long end = Math.min(size, start + shardBytes);
      if (size - end < shardBytes / 4) {
        end = size;
      }
      ranges.add(new ByteRange(position, start, end));
      start = end;
    }
  }
}
