package dev.kiln.db.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Agent time spent on shards (in agent-seconds, the unit shards record) and the per-account monthly
 * budgets in {@code accounts.monthly_budget_usd}.
 *
 * <p>A window's shards are found through their jobs: a shard is recorded while its job is open
 * ({@code finished_at} null), in the transaction that finishes the job, or (a completion already
 * waiting when another shard failed the job) moments after, so only jobs open at some time in the
 * window are read. Such a late shard of a job that finished before the window is not counted.
 * Shards have no index on {@code updated_at}: it would make every completion a non-HOT update.
 */
public interface SpendDao {
  /** Jobs {@code j} that were open at some time in {@code [from, until]}. */
  String OPEN_IN_WINDOW = "(j.finished_at is null or j.finished_at >= :from)";

  /** Agent-seconds of every shard last updated in {@code [from, until]}. */
  @SqlQuery(
      "select coalesce(sum(s.agent_seconds), 0) from jobs j join shards s on s.job_id = j.id"
          + " where "
          + OPEN_IN_WINDOW
          + " and s.updated_at >= :from and s.updated_at <= :until")
  double agentSeconds(Instant from, Instant until);

  /** Agent-seconds of the shards of one account's jobs last updated in {@code [from, until]}. */
  @SqlQuery(
      "select coalesce(sum(s.agent_seconds), 0) from jobs j join shards s on s.job_id = j.id"
          + " where j.owner_id = :accountId and "
          + OPEN_IN_WINDOW
          + " and s.updated_at >= :from and s.updated_at <= :until")
  double accountAgentSeconds(UUID accountId, Instant from, Instant until);

  /** Mean agent-seconds of the shards finished in {@code [from, until]}; empty when none. */
  @SqlQuery(
      "select avg(s.agent_seconds) from jobs j join shards s on s.job_id = j.id"
          + " where "
          + OPEN_IN_WINDOW
          + " and s.state = <shard_DONE> and s.agent_seconds > 0"
          + " and s.updated_at >= :from and s.updated_at <= :until")
  Optional<Double> meanShardSeconds(Instant from, Instant until);

  /** Sets or ({@code null}) lifts an account's monthly budget; answers the rows changed. */
  @SqlUpdate("update accounts set monthly_budget_usd = :budgetUsd where id = :accountId")
  int setMonthlyBudget(UUID accountId, BigDecimal budgetUsd);
}
