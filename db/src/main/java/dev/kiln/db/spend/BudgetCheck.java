package dev.kiln.db.spend;

import dev.kiln.model.Pricing;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps an account inside its monthly budget: month-to-date spend (agent-seconds of the shards of
 * its jobs updated this calendar month, UTC, times the agent hourly price / 3600) compared with
 * {@code accounts.monthly_budget_usd}. Thread-safe.
 */
public final class BudgetCheck {
  private static final String BUDGET = "select monthly_budget_usd from accounts where id = :id";

  private final Jdbi jdbi;
  private final SpendDao spend;
  private final Pricing pricing;
  private final Clock clock;

  public BudgetCheck(Jdbi jdbi, Pricing pricing, Clock clock) {
    this.jdbi = jdbi;
    this.spend = jdbi.onDemand(SpendDao.class);
    this.pricing = pricing;
    this.clock = clock;
  }

  /** The start of the calendar month (UTC) that {@code now} falls in. */
  public static Instant monthStart(Instant now) {
    return YearMonth.from(now.atZone(ZoneOffset.UTC))
        .atDay(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /** Money spent on the account's jobs this calendar month, in USD. */
  public double monthSpendUsd(UUID accountId) {
    Instant now = clock.instant();
    return pricing.costUsd(spend.accountAgentSeconds(accountId, monthStart(now), now));
  }

  /**
   * Why the account may not start more work, or empty when it may: refused once month-to-date spend
   * has reached the account's budget.
   */
  public Optional<String> refusal(UUID accountId) {
    Optional<BigDecimal> budget = monthlyBudget(accountId);
    if (budget.isEmpty()) {
      return Optional.empty();
    }
    double limit = budget.get().doubleValue();
    double spent = monthSpendUsd(accountId);
    if (spent < limit) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "Monthly budget of $%.2f reached ($%.2f spent); ask an admin to raise it.",
            limit,
            spent));
  }

  /**
   * The account's monthly budget, empty when it has none; read on every job submission: against the
   * handle, because an on-demand SQL object's per-call set-up cost a third of a submission's CPU.
   */
  public Optional<BigDecimal> monthlyBudget(UUID accountId) {
    return jdbi.withHandle(
        handle ->
            handle.createQuery(BUDGET).bind("id", accountId).mapTo(BigDecimal.class).findOne());
  }
}
