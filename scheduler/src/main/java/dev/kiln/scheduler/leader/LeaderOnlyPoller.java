package dev.kiln.scheduler.leader;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A background loop on its own thread that runs its work on the leader only, every {@code interval}
 * or at once when {@link #wake()} is called. Catches and meters every Throwable and never dies
 * until {@link #stop()}; while the work keeps failing it waits longer each time and logs only the
 * change of state ({@link FailureBackoff}). Thread-safe.
 */
public final class LeaderOnlyPoller {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyPoller.class);

  /** One run of the work; answers true when there may be more to do right away. */
  @FunctionalInterface
  public interface Work {
    boolean run() throws Exception;
  }

  private final String name;
  private final Duration interval;
  private final BooleanSupplier isLeader;
  private final Work work;
  private final Meter errors;
  private final Timer runs;
  private final FailureBackoff backoff;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public LeaderOnlyPoller(
      String name, Duration interval, BooleanSupplier isLeader, Work work, MetricRegistry metrics) {
    this(
        name,
        interval,
        isLeader,
        work,
        metrics,
        new FailureBackoff(
            name, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(), LOG));
  }

  /** As above, with the backoff policy applied when the work fails. */
  public LeaderOnlyPoller(
      String name,
      Duration interval,
      BooleanSupplier isLeader,
      Work work,
      MetricRegistry metrics,
      FailureBackoff backoff) {
    this.backoff = backoff;
    this.name = name;
    this.interval = interval;
    this.isLeader = isLeader;
    this.work = work;
    this.errors = metrics.meter(MetricRegistry.name("scheduler", name, "errors"));
    this.runs = metrics.timer(MetricRegistry.name("scheduler", name, "runs"));
  }

  public synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "kiln-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public void wake() {
    wakeups.release();
  }

  public void stop() {
    running = false;
    Thread current = thread;
    if (current != null) {
      current.interrupt();
      try {
        current.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void loop() {
    while (running) {
      // A stage puts the job it works on in the log context; no field outlives its round.
      MDC.clear();
      boolean more = false;
      try {
        if (isLeader.getAsBoolean()) {
          try (Timer.Context ignored = runs.time()) {
            more = work.run();
          }
          backoff.succeeded();
        }
      } catch (NotLeaderException e) {
        LOG.info("{}: {}", name, e.getMessage());
      } catch (Throwable e) {
        errors.mark();
        if (!running) {
          return;
        }
        if (!pause(backoff.failed(e))) {
          return;
        }
        continue;
      }
      MDC.clear();
      if (!more) {
        try {
          wakeups.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
          wakeups.drainPermits();
        } catch (InterruptedException e) {
          if (!running) {
            return;
          }
        }
      }
    }
  }

  /** Waits out a failure's backoff (a wake-up does not cut it short); false when stopped. */
  private boolean pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      return running;
    }
  }
}
