package dev.kiln.scheduler.leader;

import dev.kiln.protocol.RedisKeys;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election: a Redis lock key held with a short expiry and renewed every tick, and a fencing
 * token from a Postgres sequence. On election the token is written to {@code scheduler_fence};
 * every leader-only transaction calls {@link #fence(Handle)}, which fails once a newer leader has
 * written its token, so a deposed leader can never commit. Thread-safe.
 */
public final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
  private static final String ACQUIRE =
      "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end"
          + " if redis.call('GET', KEYS[1]) == ARGV[1] then"
          + " redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 2 end return 0";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
          + " return 0";

  private final RedissonClient redisson;
  private final Jdbi jdbi;
  private final Clock clock;
  private final String nodeId;
  private final long leaseMillis;
  private final String key;
  private final List<LongConsumer> onElected = new CopyOnWriteArrayList<>();
  private volatile long token;
  private volatile long validUntil;
  private volatile boolean leader;

  public Leadership(
      RedissonClient redisson, Jdbi jdbi, Clock clock, String nodeId, long leaseMillis) {
    this.redisson = redisson;
    this.jdbi = jdbi;
    this.clock = clock;
    this.nodeId = nodeId;
    this.leaseMillis = leaseMillis;
    this.key = RedisKeys.SCHEDULER_LEADER;
  }

  /** Runs {@code listener} with the new token each time this node becomes leader. */
  public void onElected(LongConsumer listener) {
    onElected.add(listener);
  }

  /** Tries to become or stay leader; call about every third of the lease. */
  public synchronized void tick() {
    long now = clock.millis();
    Long answer =
        redisson
            .getScript()
            .eval(
                RScript.Mode.READ_WRITE,
                ACQUIRE,
                RScript.ReturnType.LONG,
                List.of(key),
                nodeId,
                Long.toString(leaseMillis));
    if (answer == 0L) {
      if (leader) {
        LOG.warn("{} lost leadership", nodeId);
      }
      leader = false;
      return;
    }
    boolean renewed = answer == 2L && leader;
    validUntil = now + leaseMillis * 2 / 3;
    if (!renewed) {
      long newToken = jdbi.withHandle(this::claimFence);
      token = newToken;
      leader = true;
      LOG.info("{} is leader with fencing token {}", nodeId, newToken);
      for (LongConsumer listener : onElected) {
        listener.accept(newToken);
      }
    }
  }

  private long claimFence(Handle handle) {
    long next = handle.createQuery("select nextval('leader_fence_seq')").mapTo(Long.class).one();
    handle
        .createUpdate(
            "update scheduler_fence set token = :token, node = :node, updated_at = now()"
                + " where id = 1 and token < :token")
        .bind("token", next)
        .bind("node", nodeId)
        .execute();
    return next;
  }

  /** Whether this node leads now (its lock was renewed recently enough). */
  public boolean isLeader() {
    return leader && clock.millis() < validUntil;
  }

  public long token() {
    return token;
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Checks inside a transaction that this node's token is still the newest; holds a share lock on
   * the fence row until the transaction ends, so a new leader's claim waits for it.
   */
  public void fence(Handle handle) {
    long current =
        handle
            .createQuery("select token from scheduler_fence where id = 1 for share")
            .mapTo(Long.class)
            .one();
    long mine = token;
    if (!leader || current != mine) {
      throw new NotLeaderException(mine, current);
    }
  }

  /** Gives up leadership (shutdown), so a follower takes over at once. */
  public synchronized void resign() {
    if (leader) {
      leader = false;
      redisson
          .getScript()
          .eval(RScript.Mode.READ_WRITE, RELEASE, RScript.ReturnType.LONG, List.of(key), nodeId);
    }
  }
}
