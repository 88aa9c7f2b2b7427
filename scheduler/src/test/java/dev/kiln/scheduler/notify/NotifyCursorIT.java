package dev.kiln.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.db.OutboxDao;
import dev.kiln.model.OutboxEvent;
import dev.kiln.model.OutboxEventType;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The notify stage's cursor moves only over events that are decided on and settled, so an event
 * still undecided (or one that could still commit below a higher id) is never skipped.
 */
@ExtendWith(KilnStackExtension.class)
class NotifyCursorIT {
  private static StackClients clients;
  private static Jdbi jdbi;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void theCursorStopsBeforeTheFirstUndecidedOrUnsettledEvent() {
    NotifyDao dao = jdbi.onDemand(NotifyDao.class);
    Instant old = Instant.now().minus(Duration.ofHours(1));
    OutboxDao outbox = jdbi.onDemand(OutboxDao.class);
    UUID owner = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      outbox.append(UUID.randomUUID(), owner, OutboxEventType.RUNNING, "{}", old);
    }
    List<OutboxEvent> events = dao.pendingEvents(100);
    assertThat(events).hasSize(5);
    long start = cursor();

    // The first two and the fourth are decided; the third is not.
    dao.markHandled(events.get(0).id(), old);
    dao.markHandled(events.get(1).id(), old);
    dao.markHandled(events.get(3).id(), old);
    dao.advanceCursor(Instant.now().minus(Duration.ofMinutes(10)));
    dao.forgetBelowCursor();

    assertThat(cursor()).isEqualTo(events.get(1).id());
    assertThat(dao.pendingEvents(100))
        .extracting(OutboxEvent::id)
        .containsExactly(events.get(2).id(), events.get(4).id());
    assertThat(dao.markHandled(events.get(3).id(), old)).isZero();

    // Decided but not yet settled: the cursor waits.
    dao.markHandled(events.get(2).id(), old);
    dao.markHandled(events.get(4).id(), old);
    dao.advanceCursor(old.minus(Duration.ofMinutes(1)));
    assertThat(cursor()).isEqualTo(events.get(1).id());

    dao.advanceCursor(Instant.now());
    dao.forgetBelowCursor();
    assertThat(cursor()).isEqualTo(events.get(4).id()).isGreaterThan(start);
    assertThat(dao.pendingEvents(100)).isEmpty();
    int handled =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select count(*) from notify_handled_events")
                    .mapTo(Integer.class)
                    .one());
    assertThat(handled).isZero();
  }

  private static long cursor() {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("select after_id from notify_cursor where id = 1")
                .mapTo(Long.class)
                .one());
  }
}
