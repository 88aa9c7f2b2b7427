package dev.kiln.protocol.progress;

import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * How far the shards still running have got, as their agents report it about once a second: a hash
 * {@code kiln:jobs:running:{jobId}} of shard index to records read and the share of the shard's
 * bytes behind them. The job's row counts finished shards only; a reader adds these for progress
 * within shards. The hash expires unless refreshed, so a dead agent's figures vanish on their own.
 * Each report announces the job's {@link JobNews}, so open event streams push it. Thread-safe.
 */
public final class RunningShards {
  /** What one running shard has done so far; {@code fraction} 0 when its bytes cannot tell. */
  public record Report(UUID jobId, int idx, long records, double fraction) {}

  /** The running shards of a job together: records read and shards' worth of work done. */
  public record Summary(long records, double shards) {
    public static final Summary NONE = new Summary(0, 0);
  }

  private final RedissonClient redis;
  private final JobNews news;
  private final Duration lifetime;

  /** For processes that only read. */
  public RunningShards(RedissonClient redis) {
    this(redis, Duration.ofMinutes(1));
  }

  /** {@code lifetime}: how long a report counts without being refreshed. */
  public RunningShards(RedissonClient redis, Duration lifetime) {
    this.redis = redis;
    this.news = new JobNews(redis);
    this.lifetime = lifetime;
  }

  /** Writes the reports in one round trip and announces each job once. */
  public void report(Collection<Report> reports) {
    if (reports.isEmpty()) {
      return;
    }
    RBatch batch = redis.createBatch();
    Set<UUID> jobs = new LinkedHashSet<>();
    for (Report report : reports) {
      batch
          .<String, String>getMap(RedisKeys.runningShards(report.jobId()), StringCodec.INSTANCE)
          .fastPutAsync(Integer.toString(report.idx()), encode(report));
      jobs.add(report.jobId());
    }
    for (UUID job : jobs) {
      batch.getMap(RedisKeys.runningShards(job), StringCodec.INSTANCE).expireAsync(lifetime);
    }
    batch.execute();
    news.announceAll(jobs);
  }

  /** The shard is no longer running here (finished, failed, given back or stopped). */
  public void ended(UUID jobId, int idx) {
    redis
        .<String, String>getMap(RedisKeys.runningShards(jobId), StringCodec.INSTANCE)
        .fastRemove(Integer.toString(idx));
  }

  /** The job's running shards together; {@link Summary#NONE} when none reported. */
  public Summary of(UUID jobId) {
    Map<String, String> all =
        redis
            .<String, String>getMap(RedisKeys.runningShards(jobId), StringCodec.INSTANCE)
            .readAllMap();
    long records = 0;
    double shards = 0;
    for (String value : all.values()) {
      int space = value.indexOf(' ');
      try {
        records += Long.parseLong(value.substring(0, space));
        shards += Math.min(1, Math.max(0, Double.parseDouble(value.substring(space + 1))));
      } catch (RuntimeException malformed) {
        // a value this reader cannot parse counts as nothing
      }
    }
    return new Summary(records, shards);
  }

  private static String encode(Report report) {
    return report.records() + " " + String.format(Locale.ROOT, "%.4f", report.fraction());
  }
}
