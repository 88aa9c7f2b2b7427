package dev.kiln.db;

import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.ShardState;
import java.util.EnumSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Puts the model's state and event names into SQL as template attributes, so no statement spells a
 * state itself: {@code <job_RUNNING>} becomes the quoted name of {@code JobState.RUNNING}, {@code
 * <shard_QUEUED>} that of {@code ShardState.QUEUED}, {@code <file_READY>} that of {@code
 * FileState.READY}, {@code <event_CANCELLED>} the wire name of {@code OutboxEventType.CANCELLED},
 * and {@code <job_TERMINAL>} / {@code <job_OPEN>} list the terminal and the unfinished job states.
 * They are literals, not bound values, so PostgreSQL still matches them against partial indexes
 * (such as the index of queued shards). Stateless.
 */
public final class StateSql {
  private StateSql() {}

  /** Defines every attribute on {@code jdbi}'s statements. */
  public static Jdbi define(Jdbi jdbi) {
    for (JobState state : JobState.values()) {
      jdbi.define("job_" + state.name(), literal(state.name()));
    }
    for (ShardState state : ShardState.values()) {
      jdbi.define("shard_" + state.name(), literal(state.name()));
    }
    for (FileState state : FileState.values()) {
      jdbi.define("file_" + state.name(), literal(state.name()));
    }
    for (OutboxEventType type : OutboxEventType.values()) {
      jdbi.define("event_" + type.name(), literal(type.wireName()));
    }
    jdbi.define("job_TERMINAL", list(JobState.class, JobState::isTerminal));
    jdbi.define("job_OPEN", list(JobState.class, state -> !state.isTerminal()));
    return jdbi;
  }

  /** {@code 'A', 'B'} for the constants of {@code type} that {@code include} accepts. */
  private static <E extends Enum<E>> String list(Class<E> type, Predicate<E> include) {
    return EnumSet.allOf(type).stream()
        .filter(include)
        .map(state -> literal(state.name()))
        .collect(Collectors.joining(", "));
  }

  private static String literal(String value) {
    if (!value.matches("[A-Za-z_.]+")) {
      throw new IllegalArgumentException("not a state or event name: " + value);
    }
    return "'" + value + "'";
  }
}
