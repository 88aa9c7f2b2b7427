package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle leader asks PostgreSQL nothing: its stages wait for the database's work signal, and the
 * first job submitted after a quiet spell is planned at once, not at a poller's safety interval.
 */
@ExtendWith(KilnStackExtension.class)
class IdleLeaderIT {
  private static final Duration QUIET_SPELL = Duration.ofSeconds(5);

  private static StackClients clients;
  private static Jdbi jdbi;
  private static final List<String> statements = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    jdbi.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logBeforeExecution(StatementContext context) {
            statements.add(
                Thread.currentThread().getName() + ": " + context.getRenderedSql().strip());
          }
        });
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void anIdleLeaderAsksTheDatabaseNothingAndPlansTheNextJobAtOnce() throws Exception {
    Fixtures fixtures = new Fixtures(jdbi, clients.store());
    UUID owner = fixtures.account();
    StoredFile input = fixtures.upload(owner, "in.txt", "a\nb\n");
    try (Scheduler scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            clients.store(),
            SchedulerSettings.defaults("idle-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry())) {
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
      // The first passes of a new leader look once at everything; then it falls quiet.
      Thread.sleep(3_000);
      statements.clear();

      Thread.sleep(QUIET_SPELL.toMillis());

      assertThat(statements).as("statements of an idle leader in %s", QUIET_SPELL).isEmpty();
      UUID jobId = fixtures.submit(owner, "upper", "{}", 0, List.of(input));
      // The idle planner's safety interval is minutes: only the work signal wakes it this soon.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fixtures.job(jobId).state() == JobState.RUNNING);
    }
  }
}
