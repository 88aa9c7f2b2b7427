package dev.kiln.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a shard as Postgres records it. Leases live in Redis only; Postgres learns of a shard
 * again when it is done, dead-lettered or cancelled.
 */
public enum ShardState {
  /** Waiting in (or leased from) the work queue. */
  QUEUED,
  DONE,
  /** Dead-lettered after its last attempt; {@code last_error} says why. */
  DEAD,
  CANCELLED;

  private static final Map<ShardState, Set<ShardState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(DONE, DEAD, CANCELLED),
          DONE, EnumSet.noneOf(ShardState.class),
          DEAD, EnumSet.of(QUEUED),
          CANCELLED, EnumSet.of(QUEUED));

  public boolean isTerminal() {
    return this != QUEUED;
  }

  public boolean canMoveTo(ShardState next) {
    return ALLOWED.get(this).contains(next);
  }

  /** The states a shard may be in when it moves to {@code next}. */
  public static Set<ShardState> sourcesOf(ShardState next) {
    Set<ShardState> sources = EnumSet.noneOf(ShardState.class);
    for (ShardState state : values()) {
      if (state.canMoveTo(next)) {
        sources.add(state);
      }
    }
    return sources;
  }
}
