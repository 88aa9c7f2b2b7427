package dev.kiln.model;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a job. Postgres holds it; {@link #canMoveTo} is the one transition table. The owner's
 * retry moves a FAILED job back to RUNNING, and a CANCELLED one back to RUNNING when it was planned
 * (its finished shards count) or to SUBMITTED when it was cancelled before planning.
 */
public enum JobState {
  /** Accepted and durable; waiting for the scheduler to plan it. */
  SUBMITTED,
  /** Planned into shards; agents are working on them. */
  RUNNING,
  /** Every shard is done; the outputs are being assembled. */
  ASSEMBLING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Map<JobState, Set<JobState>> ALLOWED =
      Map.of(
          SUBMITTED, EnumSet.of(RUNNING, FAILED, CANCELLED),
          RUNNING, EnumSet.of(ASSEMBLING, FAILED, CANCELLED),
          ASSEMBLING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          FAILED, EnumSet.of(RUNNING),
          CANCELLED, EnumSet.of(RUNNING, SUBMITTED));

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public boolean canMoveTo(JobState next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * Checks that a conditional update from any of {@code from} to {@code next} follows the table.
   *
   * @throws IllegalStateException naming the first edge the table lacks
   */
  public static void requireAllowed(Collection<JobState> from, JobState next) {
    for (JobState state : from) {
      if (!state.canMoveTo(next)) {
        throw new IllegalStateException(
            "job state transition " + state + " -> " + next + " is not allowed");
      }
    }
  }

  /** The states a job may be in when it moves to {@code next}, for conditional updates. */
  public static Set<JobState> sourcesOf(JobState next) {
    Set<JobState> sources = EnumSet.noneOf(JobState.class);
    for (JobState state : values()) {
      if (state.canMoveTo(next)) {
        sources.add(state);
      }
    }
    return sources;
  }
}
