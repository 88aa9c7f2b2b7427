package dev.kiln.scheduler.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.credits.Ledger;
import dev.kiln.db.credits.Statements;
import dev.kiln.db.credits.TransactionKind;
import dev.kiln.model.JobState;
import dev.kiln.model.PriceTable;
import dev.kiln.model.Pricing;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A finished job's reserved credits are settled at its actual cost, once, and the rest released.
 */
@ExtendWith(KilnStackExtension.class)
class CreditSettlementIT {
  /** The test agent's machine (g4dn.xlarge on spot) at 36 USD an hour: a cent a second. */
  private static final PriceTable PRICES =
      new PriceTable(
          new Pricing(0.526), Map.of("g4dn.xlarge", new PriceTable.InstancePrice(72, 36)));

  private static StackClients clients;
  private static Jdbi jdbi;
  private Fixtures fixtures;
  private Scheduler scheduler;
  private TestAgent agent;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void startScheduler() {
    fixtures = new Fixtures(jdbi, clients.store());
    scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            clients.store(),
            SchedulerSettings.defaults("credits-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
    agent =
        new TestAgent(
                "credits-agent",
                scheduler.queue(),
                clients.store(),
                4,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> {})
            .start();
  }

  @AfterEach
  void stopScheduler() {
    agent.close();
    scheduler.close();
  }

  @Test
  void eachRunOfARetriedJobIsSettledOnItsOwnAndTheJobIsChargedItsCostOnce() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "rows.csv", "id,name\n1,a\n2,b\n3,c\n");
    UUID jobId = fixtures.submit(owner, TestAgent.PROCESSOR, "{}", 0, List.of(input));
    Instant now = Instant.now();
    jdbi.useTransaction(
        handle -> {
          Ledger.grant(handle, owner, new BigDecimal("10"), "trial", now);
          Ledger.reserve(handle, owner, jobId, new BigDecimal("4"), now);
          Ledger.reserveRetry(handle, owner, jobId, new BigDecimal("3"), now.plusMillis(1));
        });
    assertThat(jdbi.withHandle(handle -> Ledger.balance(handle, owner)).reserved())
        .isEqualByComparingTo("7");
    clients.redisson().getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(jobId).state() == JobState.SUCCEEDED);
    BigDecimal cost =
        BigDecimal.valueOf(fixtures.job(jobId).agentSeconds() * 36 / 3600)
            .setScale(6, java.math.RoundingMode.HALF_UP);

    CreditSettler settler = new CreditSettler(jdbi, PRICES, Clock.systemUTC());
    settler.tick();
    settler.tick();

    Ledger.Balance balance = jdbi.withHandle(handle -> Ledger.balance(handle, owner));
    assertThat(balance.reserved()).isEqualByComparingTo("0");
    assertThat(balance.available()).isEqualByComparingTo(new BigDecimal("10").subtract(cost));
    List<Statements.Line> lines =
        jdbi.withHandle(
                handle ->
                    Statements.of(
                        handle, owner, now.minusSeconds(60), Instant.now().plusSeconds(60)))
            .lines();
    assertThat(lines)
        .extracting(Statements.Line::kind)
        .containsExactly(
            TransactionKind.GRANT,
            TransactionKind.RESERVE,
            TransactionKind.RESERVE,
            TransactionKind.SETTLE,
            TransactionKind.SETTLE);
    assertThat(lines.get(2).memo()).endsWith("(run 2)");
    assertThat(lines.get(3).availableChange())
        .isEqualByComparingTo(new BigDecimal("4").subtract(cost));
    assertThat(lines.get(4).availableChange()).isEqualByComparingTo("3");
  }

  @Test
  void aFinishedJobIsChargedItsCostAndTheRestOfItsReservationComesBack() {
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "rows.csv", "id,name\n1,a\n2,b\n3,c\n");
    UUID jobId = fixtures.submit(owner, TestAgent.PROCESSOR, "{}", 0, List.of(input));
    Instant now = Instant.now();
    jdbi.useTransaction(
        handle -> {
          Ledger.grant(handle, owner, new BigDecimal("10"), "trial", now);
          Ledger.reserve(handle, owner, jobId, new BigDecimal("4"), now);
        });
    clients.redisson().getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(jobId).state() == JobState.SUCCEEDED);
    double agentSeconds = fixtures.job(jobId).agentSeconds();
    BigDecimal cost =
        BigDecimal.valueOf(agentSeconds * 36 / 3600).setScale(6, java.math.RoundingMode.HALF_UP);

    CreditSettler settler = new CreditSettler(jdbi, PRICES, Clock.systemUTC());
    settler.tick();
    settler.tick();

    Ledger.Balance balance = jdbi.withHandle(handle -> Ledger.balance(handle, owner));
    assertThat(balance.reserved()).isEqualByComparingTo("0");
    assertThat(balance.available()).isEqualByComparingTo(new BigDecimal("10").subtract(cost));
    Statements.Statement statement =
        jdbi.withHandle(
            handle ->
                Statements.of(handle, owner, now.minusSeconds(60), Instant.now().plusSeconds(60)));
    assertThat(statement.lines())
        .extracting(Statements.Line::kind)
        .containsExactly(TransactionKind.GRANT, TransactionKind.RESERVE, TransactionKind.SETTLE);
    assertThat(statement.lines().get(2).availableChange())
        .isEqualByComparingTo(new BigDecimal("4").subtract(cost));
    BigDecimal total =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select coalesce(sum(amount), 0) from ledger_entries")
                    .mapTo(BigDecimal.class)
                    .one());
    assertThat(total).isEqualByComparingTo("0");
  }

  @Test
  void ledgerRowsCannotBeChangedOrDeleted() {
    UUID owner = fixtures.account();
    jdbi.useTransaction(
        handle -> Ledger.grant(handle, owner, new BigDecimal("1"), "trial", Instant.now()));
    for (String change :
        List.of(
            "update ledger_entries set amount = amount * 2",
            "delete from ledger_entries",
            "update ledger_transactions set memo = 'x'")) {
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> jdbi.useHandle(handle -> handle.execute(change))))
          .as(change)
          .hasStackTraceContaining("ledger rows are immutable");
    }
  }
}
