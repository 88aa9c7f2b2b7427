package dev.kiln.core.fleet;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Agent time spent on shards (in agent-seconds, the unit shards record) and the per-account monthly
 * budgets in {@code accounts.monthly_budget_usd}.
 */
public interface SpendDao {

  /** Agent-seconds of every shard last updated in {@code [from, until]}. */
  @SqlQuery(
      "select coalesce(sum(agent_seconds), 0) from shards"
          + " where updated_at >= :from and updated_at <= :until")
  double agentSeconds(Instant from, Instant until);

  /** Agent-seconds of the shards of one account's jobs last updated in {@code [from, until]}. */
  @SqlQuery(
      "select coalesce(sum(s.agent_seconds), 0) from shards s join jobs j on j.id = s.job_id"
          + " where j.owner_id = :accountId and s.updated_at >= :from and s.updated_at <= :until")
  double accountAgentSeconds(UUID accountId, Instant from, Instant until);

  /** Mean agent-seconds of the shards finished in {@code [from, until]}; empty when none. */
  @SqlQuery(
      "select avg(agent_seconds) from shards where state = 'DONE' and agent_seconds > 0"
          + " and updated_at >= :from and updated_at <= :until")
  Optional<Double> meanShardSeconds(Instant from, Instant until);

  /** The account's monthly budget in USD; empty when it has no limit (or no such account). */
  @SqlQuery("select monthly_budget_usd from accounts where id = :accountId")
  Optional<BigDecimal> monthlyBudget(UUID accountId);

  /** Sets or ({@code null}) lifts an account's monthly budget; answers the rows changed. */
  @SqlUpdate("update accounts set monthly_budget_usd = :budgetUsd where id = :accountId")
  int setMonthlyBudget(UUID accountId, BigDecimal budgetUsd);
}
