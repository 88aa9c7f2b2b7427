package dev.kiln.scheduler.outbox;

import dev.kiln.scheduler.leader.FailureBackoff;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's {@code kiln_work} channel, which triggers notify when a transaction that
 * gives the scheduler work commits (outbox events: a job submitted, cancelled, retried, started or
 * ended; webhook deliveries added or sent again), and runs every subscriber on each signal: the
 * stages that act on such rows wait for it instead of asking the database every tick. Waiting sends
 * nothing to the server. Holds one connection of the pool while it runs; after losing it, it
 * connects again and runs the subscribers once, since a signal may have been missed meanwhile. One
 * thread of its own.
 */
public final class WorkSignals implements AutoCloseable {
  static final String CHANNEL = "kiln_work";
  private static final Logger LOG = LoggerFactory.getLogger(WorkSignals.class);
  private static final int WAIT_MILLIS = 1_000;

  private final Jdbi jdbi;
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong signals = new AtomicLong();
  private volatile boolean running;
  private Thread thread;

  public WorkSignals(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Runs {@code subscriber} on every signal (on this listener's thread: it must not block). */
  public void subscribe(Runnable subscriber) {
    subscribers.add(subscriber);
  }

  /**
   * How many signals arrived so far (a reconnection counts as one): unchanged since a look means no
   * work was added meanwhile.
   */
  public long count() {
    return signals.get();
  }

  public synchronized void start() {
    running = true;
    thread = new Thread(this::listen, "kiln-work-signals");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    Thread current = thread;
    if (current != null) {
      current.interrupt();
      try {
        current.join(WAIT_MILLIS * 2L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void listen() {
    FailureBackoff backoff =
        new FailureBackoff(
            "work signals", Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(), LOG);
    while (running) {
      try (Handle handle = jdbi.open()) {
        handle.execute("listen " + CHANNEL);
        try {
          PGConnection connection = handle.getConnection().unwrap(PGConnection.class);
          backoff.succeeded();
          signal();
          while (running) {
            PGNotification[] arrived = connection.getNotifications(WAIT_MILLIS);
            if (arrived != null && arrived.length > 0) {
              signal();
            }
          }
        } finally {
          unlisten(handle);
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        try {
          Thread.sleep(backoff.failed(e).toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Counts work this process added itself, and runs the subscribers as a signal would. */
  public void raise() {
    signal();
  }

  private void signal() {
    signals.incrementAndGet();
    for (Runnable subscriber : subscribers) {
      try {
        subscriber.run();
      } catch (RuntimeException e) {
        LOG.warn("A work signal's subscriber failed", e);
      }
    }
  }

  /** A pooled connection goes back without listening, or it would gather signals no one reads. */
  private static void unlisten(Handle handle) {
    try {
      handle.execute("unlisten *");
    } catch (RuntimeException e) {
      LOG.debug("Could not stop listening; the pool checks the connection", e);
    }
  }
}
