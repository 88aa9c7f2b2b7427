package dev.kiln.scheduler.leader;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiln.testkit.SettableClock;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureBackoffTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
  private final AtomicReference<Double> random = new AtomicReference<>(0.5);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Logger log;
  private FailureBackoff backoff;

  @BeforeEach
  void setUp() {
    log = (Logger) LoggerFactory.getLogger("failure-backoff-test");
    log.setLevel(Level.DEBUG);
    log.detachAndStopAllAppenders();
    log.setAdditive(false);
    logged.start();
    log.addAppender(logged);
    backoff = new FailureBackoff("planner", clock, random::get, log);
  }

  private List<ILoggingEvent> above(Level level) {
    return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
  }

  @Test
  void waitsDoubleFromHalfASecondUpToThirtySeconds() {
    List<Long> waits =
        java.util.stream.IntStream.rangeClosed(1, 10)
            .mapToObj(n -> backoff.failed(new IllegalStateException("down")).toMillis())
            .toList();
    assertThat(waits)
        .containsExactly(
            500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  void jitterStaysWithinTwentyPercent() {
    random.set(0.0);
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(1_600));
    random.set(0.999_999);
    assertThat(backoff.delay(3).toMillis()).isBetween(2_399L, 2_400L);
    random.set(0.999_999);
    assertThat(backoff.delay(50).toMillis()).isBetween(35_999L, 36_000L);
  }

  @Test
  void logsAnOutageInOneLineAndTheRecoveryOnceNotEveryTick() {
    Exception outage = new SQLTransientConnectionException("Connection refused", "08001");
    for (int i = 0; i < 50; i++) {
      backoff.failed(new IllegalStateException("wrapped", outage));
      clock.advance(Duration.ofSeconds(1));
    }
    backoff.succeeded();
    backoff.succeeded();

    List<ILoggingEvent> shown = above(Level.INFO);
    assertThat(shown).hasSize(2);
    assertThat(shown.get(0).getLevel()).isEqualTo(Level.ERROR);
    assertThat(shown.get(0).getFormattedMessage())
        .isEqualTo("planner failing: PostgreSQL is unreachable (IllegalStateException: wrapped)");
    assertThat(shown.get(1).getFormattedMessage())
        .isEqualTo("planner recovered after 50 failures in PT50S");
    assertThat(backoff.failures()).isZero();
    assertThat(logged.list.stream().filter(e -> e.getThrowableProxy() != null)).isEmpty();
  }

  @Test
  void logsAFailureThatIsNoOutageWithItsStackTraceOnce() {
    for (int i = 0; i < 5; i++) {
      backoff.failed(new IllegalStateException("a bug"));
    }

    List<ILoggingEvent> shown = above(Level.INFO);
    assertThat(shown).hasSize(1);
    assertThat(shown.get(0).getFormattedMessage())
        .isEqualTo("planner failing: IllegalStateException: a bug");
    assertThat(shown.get(0).getThrowableProxy()).isNotNull();
  }

  @Test
  void aNewOutageAfterARecoveryStartsAgainAtHalfASecondAndIsLoggedAgain() {
    backoff.failed(new IllegalStateException("one"));
    backoff.failed(new IllegalStateException("two"));
    backoff.succeeded();

    assertThat(backoff.failed(new IllegalStateException("three")))
        .isEqualTo(Duration.ofMillis(500));
    assertThat(above(Level.INFO))
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "planner failing: IllegalStateException: one",
            "planner recovered after 2 failures in PT0S",
            "planner failing: IllegalStateException: three");
  }

  @Test
  void aCappedBackoffNeverWaitsLongerThanItsCap() {
    FailureBackoff election =
        new FailureBackoff("election", clock, random::get, log, Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      election.failed(new IllegalStateException("down"));
    }
    assertThat(election.failed(new IllegalStateException("down"))).isEqualTo(Duration.ofSeconds(1));
  }
}
