package dev.kiln.protocol.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.redisson.api.RScript.ReturnType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * What the scheduler needs to reconcile the work queue with Postgres after Redis lost part of its
 * state: which shards Redis holds, putting back lost ready, lease and delay entries, running again
 * a finished shard whose completion event was lost, and dropping shards Postgres no longer counts
 * as waiting. Each change is one Lua script. Thread-safe.
 */
public final class QueueRepair {
  /** What {@link #check} found for a shard. */
  public enum Finding {
    /** Held as it should be. */
    OK,
    /** No shard hash: the shard must be enqueued again. */
    MISSING,
    /** Its ready-set entry (or its owner's place in the schedule) was lost and is back. */
    READY_RESTORED,
    /** Its lease deadline was lost and is back (the lease runs on). */
    LEASE_RESTORED,
    /** Its backoff entry was lost; it is due now. */
    DELAY_RESTORED,
    /**
     * It had finished, but the stream entry reporting that was lost before Postgres recorded it: it
     * is ready to run again (the lost attempt can no longer count).
     */
    RERUN
  }

  private static final int CHUNK = 500;
  private static final int SCAN_COUNT = 1_000;

  private final RedissonClient redisson;
  private final QueueSettings settings;
  private final LuaScripts scripts;

  public QueueRepair(RedissonClient redisson, QueueSettings settings) {
    this.redisson = redisson;
    this.settings = settings;
    this.scripts = new LuaScripts(redisson, settings.prefix());
  }

  /** The epoch in force, or empty when the key is missing (the queue must be rebuilt first). */
  public OptionalLong epoch() {
    Object value = redisson.getBucket(settings.prefix() + "epoch", StringCodec.INSTANCE).get();
    return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.toString()));
  }

  /** Every shard that has a hash in Redis now, whatever its state (a scan, not a snapshot). */
  public Set<ShardId> held() {
    String shardPrefix = settings.prefix() + "s:";
    Set<ShardId> held = new LinkedHashSet<>();
    redisson
        .getKeys()
        .getKeysStreamByPattern(shardPrefix + "*", SCAN_COUNT)
        .forEach(key -> held.add(ShardId.parse(key.substring(shardPrefix.length()))));
    return held;
  }

  /**
   * Checks shards Postgres counts as waiting and puts back what was lost of those whose hash is
   * there; a lease deadline put back is {@code now + lease}, so the agent running it keeps it.
   */
  public Map<ShardId, Finding> check(Collection<ShardId> shards, Instant now, Duration lease) {
    Map<ShardId, Finding> findings = new LinkedHashMap<>();
    List<ShardId> all = List.copyOf(shards);
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<ShardId> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      List<Object> args = new ArrayList<>(2 + chunk.size());
      args.add(Long.toString(now.toEpochMilli()));
      args.add(Long.toString(lease.toMillis()));
      chunk.forEach(shard -> args.add(shard.queueId()));
      List<Object> words = scripts.run("check", ReturnType.LIST, args.toArray());
      for (int i = 0; i < chunk.size(); i++) {
        findings.put(chunk.get(i), finding(String.valueOf(words.get(i))));
      }
    }
    return findings;
  }

  /**
   * Drops shards Postgres does not count as waiting: ready and backed-off ones leave Redis, leased
   * ones are flagged cancelled so their agents stop. Answers those it dropped or flagged.
   */
  public List<ShardId> drop(Collection<ShardId> shards) {
    List<ShardId> dropped = new ArrayList<>();
    List<ShardId> all = List.copyOf(shards);
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<ShardId> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      List<Object> answers =
          scripts.run("drop", ReturnType.LIST, chunk.stream().map(ShardId::queueId).toArray());
      for (int i = 0; i < chunk.size(); i++) {
        if (((Number) answers.get(i)).longValue() == 1L) {
          dropped.add(chunk.get(i));
        }
      }
    }
    return dropped;
  }

  private static Finding finding(String word) {
    return switch (word) {
      case "missing" -> Finding.MISSING;
      case "ready" -> Finding.READY_RESTORED;
      case "lease" -> Finding.LEASE_RESTORED;
      case "delay" -> Finding.DELAY_RESTORED;
      case "rerun" -> Finding.RERUN;
      default -> Finding.OK;
    };
  }
}
