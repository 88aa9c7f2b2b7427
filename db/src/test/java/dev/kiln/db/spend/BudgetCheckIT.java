package dev.kiln.db.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.db.Databases;
import dev.kiln.model.Pricing;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.SpendRows;
import dev.kiln.testkit.TestStack;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-account monthly budgets against a real PostgreSQL. */
@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BudgetCheckIT {
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  private static final double PRICE_PER_HOUR = 2.0;

  private DataSource database;
  private Jdbi jdbi;
  private BudgetCheck check;

  @BeforeAll
  void connect(TestStack stack) {
    database = stack.dataSource();
    jdbi = Databases.jdbi(database);
    check = new BudgetCheck(jdbi, new Pricing(PRICE_PER_HOUR), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void anAccountWithoutABudgetIsNeverRefused() {
    UUID owner = anAccount();
    finishedShard(owner, 36_000, NOW.minusSeconds(60));

    assertThat(check.monthSpendUsd(owner)).isEqualTo(20.0);
    assertThat(check.refusal(owner)).isEmpty();
  }

  @Test
  void anAccountUnderItsBudgetMaySubmit() {
    UUID owner = anAccount();
    setBudget(owner, "10.00");
    finishedShard(owner, 3_600, NOW.minusSeconds(60));
    finishedShard(owner, 3_600, NOW.minusSeconds(30));

    assertThat(check.monthSpendUsd(owner)).isEqualTo(4.0);
    assertThat(check.refusal(owner)).isEmpty();
  }

  @Test
  void anAccountAtItsBudgetIsRefusedWithWhatToDo() {
    UUID owner = anAccount();
    setBudget(owner, "5");
    finishedShard(owner, 10_800, NOW.minusSeconds(60));

    assertThat(check.refusal(owner))
        .hasValue("Monthly budget of $5.00 reached ($6.00 spent); ask an admin to raise it.");
  }

  @Test
  void onlyThisCalendarMonthAndOnlyTheAccountsOwnJobsCount() {
    UUID owner = anAccount();
    UUID neighbour = anAccount();
    setBudget(owner, "5");
    finishedShard(owner, 36_000, Instant.parse("2026-02-28T23:59:59Z"));
    finishedShard(neighbour, 36_000, NOW.minusSeconds(60));
    finishedShard(owner, 3_600, Instant.parse("2026-03-01T00:00:00Z"));

    assertThat(check.monthSpendUsd(owner)).isEqualTo(2.0);
    assertThat(check.refusal(owner)).isEmpty();

    finishedShard(owner, 5_400, NOW.minusSeconds(10));
    assertThat(check.refusal(owner))
        .hasValue("Monthly budget of $5.00 reached ($5.00 spent); ask an admin to raise it.");
  }

  @Test
  void finishedJobsCountForTheMonthTheirShardsRanIn() {
    UUID owner = anAccount();
    Instant lastMonth = Instant.parse("2026-02-27T10:00:00Z");
    finishedShard(owner, 36_000, lastMonth, lastMonth.plusSeconds(60));
    finishedShard(owner, 3_600, NOW.minusSeconds(600), NOW.minusSeconds(300));

    assertThat(check.monthSpendUsd(owner)).isEqualTo(2.0);
  }

  @Test
  void liftingTheBudgetLetsTheAccountSubmitAgain() {
    UUID owner = anAccount();
    setBudget(owner, "0");
    assertThat(check.refusal(owner)).isPresent();

    assertThat(jdbi.onDemand(SpendDao.class).setMonthlyBudget(owner, null)).isEqualTo(1);
    assertThat(check.refusal(owner)).isEmpty();
  }

  private void setBudget(UUID owner, String usd) {
    jdbi.onDemand(SpendDao.class).setMonthlyBudget(owner, new BigDecimal(usd));
  }

  private UUID anAccount() {
    UUID id = UUID.randomUUID();
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    "insert into accounts (id, email, password_hash, role, created_at)"
                        + " values (:id, :email, 'x', 'USER', :at)")
                .bind("id", id)
                .bind("email", id + "@example.com")
                .bind("at", NOW)
                .execute());
    return id;
  }

  /**
   * A running job of {@code owner} with one shard that took {@code agentSeconds}, ended {@code at}.
   */
  private void finishedShard(UUID owner, double agentSeconds, Instant at) {
    finishedShard(owner, agentSeconds, at, null);
  }

  /** As above, the job having succeeded at {@code jobFinishedAt} (null: still running). */
  private void finishedShard(UUID owner, double agentSeconds, Instant at, Instant jobFinishedAt) {
    SpendRows.finishedShard(database, owner, agentSeconds, at, jobFinishedAt);
  }
}
