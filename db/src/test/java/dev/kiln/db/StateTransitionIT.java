package dev.kiln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.model.ShardState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL enforces the model's transition tables: for every pair of states, moving a row from
 * one to the other succeeds exactly when the Java table allows it.
 */
@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateTransitionIT {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private Jdbi jdbi;
  private UUID owner;
  private UUID file;

  @BeforeAll
  void connect(TestStack stack) {
    jdbi = Databases.jdbi(stack.dataSource());
    owner = UUID.randomUUID();
    file = UUID.randomUUID();
    jdbi.useHandle(
        h -> {
          h.execute(
              "insert into accounts (id, email, password_hash, role, created_at)"
                  + " values (?, ?, 'x', 'USER', ?)",
              owner,
              owner + "@example.com",
              NOW);
          insertFile(h, file, FileState.READY);
        });
  }

  @Test
  void everyJobTransitionIsAllowedInPostgresExactlyWhenTheModelAllowsIt() {
    assertEveryPair(
        JobState.values(),
        JobState::canMoveTo,
        (from, to) ->
            jdbi.withHandle(
                h -> {
                  UUID job = insertJob(h, from);
                  return h.execute("update jobs set state = ? where id = ?", to.name(), job);
                }));
  }

  @Test
  void everyShardTransitionIsAllowedInPostgresExactlyWhenTheModelAllowsIt() {
    UUID job = jdbi.withHandle(h -> insertJob(h, JobState.RUNNING));
    int[] next = {0};
    assertEveryPair(
        ShardState.values(),
        ShardState::canMoveTo,
        (from, to) ->
            jdbi.withHandle(
                h -> {
                  int idx = next[0]++;
                  h.execute(
                      "insert into shards (job_id, idx, input_position, file_id, start_offset,"
                          + " end_offset, state, updated_at) values (?, ?, 0, ?, 0, 1, ?, ?)",
                      job,
                      idx,
                      file,
                      from.name(),
                      NOW);
                  return h.execute(
                      "update shards set state = ? where job_id = ? and idx = ?",
                      to.name(),
                      job,
                      idx);
                }));
  }

  @Test
  void everyFileTransitionIsAllowedInPostgresExactlyWhenTheModelAllowsIt() {
    assertEveryPair(
        FileState.values(),
        FileState::canMoveTo,
        (from, to) ->
            jdbi.withHandle(
                h -> {
                  UUID id = UUID.randomUUID();
                  insertFile(h, id, from);
                  return h.execute("update files set state = ? where id = ?", to.name(), id);
                }));
  }

  @Test
  void theJobDaoRefusesAConditionalUpdateAlongAnEdgeTheTableLacks() {
    UUID job = jdbi.withHandle(h -> insertJob(h, JobState.SUBMITTED));
    JobDao jobs = jdbi.onDemand(JobDao.class);

    assertThatThrownBy(
            () -> jobs.transition(job, List.of(JobState.SUBMITTED), JobState.SUCCEEDED, null, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SUBMITTED -> SUCCEEDED");
    assertThat(jobs.transition(job, List.of(JobState.SUBMITTED), JobState.RUNNING, null, NOW))
        .isEqualTo(1);
  }

  /** Moves a fresh row along every edge; the update must work exactly on the table's edges. */
  private static <S extends Enum<S>> void assertEveryPair(
      S[] states, BiPredicate<S, S> allowed, Move<S> move) {
    int checked = 0;
    for (S from : states) {
      for (S to : states) {
        if (from == to) {
          continue;
        }
        if (allowed.test(from, to)) {
          assertThat(move.apply(from, to)).as("%s -> %s", from, to).isEqualTo(1);
        } else {
          assertThatThrownBy(() -> move.apply(from, to))
              .as("%s -> %s", from, to)
              .hasMessageContaining("state transition " + from + " -> " + to + " is not allowed");
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(states.length * (states.length - 1));
  }

  @FunctionalInterface
  private interface Move<S> {
    int apply(S from, S to);
  }

  private UUID insertJob(Handle h, JobState state) {
    UUID id = UUID.randomUUID();
    h.execute(
        "insert into jobs (id, owner_id, processor, state, created_at) values (?, ?, 'parse', ?, ?)",
        id,
        owner,
        state.name(),
        NOW);
    return id;
  }

  private void insertFile(Handle h, UUID id, FileState state) {
    h.execute(
        "insert into files (id, owner_id, name, bucket, object_key, state, created_at)"
            + " values (?, ?, 'in.csv', 'b', ?, ?, ?)",
        id,
        owner,
        owner + "/" + id,
        state.name(),
        NOW);
  }
}
