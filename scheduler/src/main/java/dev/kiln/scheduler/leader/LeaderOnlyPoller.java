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
 * or at once when {@link #wake()} is called. Work that says when it found nothing ({@link
 * Pass#IDLE}) then waits for a wake-up, or {@code quietInterval} at most, so that an idle leader
 * asks the database nothing. Catches and meters every Throwable and never dies until {@link
 * #stop()}; while the work keeps failing it waits longer each time and logs only the change of
 * state ({@link FailureBackoff}). Thread-safe.
 */
public final class LeaderOnlyPoller {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyPoller.class);

  /**
   * The longest an idle poller waits for a wake-up: a safety net for a wake-up that never came (a
   * signal lost with its connection), not the way work is found.
   */
  public static final Duration QUIET_INTERVAL = Duration.ofMinutes(10);

  /** One run of the work; answers true when there may be more to do right away. */
  @FunctionalInterface
  public interface Work {
    boolean run() throws Exception;
  }

  /** One run of work that tells what it found. */
  @FunctionalInterface
  public interface IdleAwareWork {
    Pass run() throws Exception;
  }

  /** What one run found. */
  public enum Pass {
    /** There may be more to do right away. */
    MORE,
    /** Work was done or is pending: look again after the interval. */
    DONE,
    /** Nothing was there: wait for a wake-up, or the quiet interval at most. */
    IDLE;

    /** {@link #MORE} when there may be more, {@link #DONE} otherwise. */
    public static Pass of(boolean more) {
      return more ? MORE : DONE;
    }

    /**
     * {@link #IDLE} when nothing was found, else {@link #MORE} or {@link #DONE} as {@code more}.
     */
    public static Pass of(int found, boolean more) {
      return found == 0 ? IDLE : of(more);
    }
  }

  private final String name;
  private final Duration interval;
  private final Duration quietInterval;
  private final BooleanSupplier isLeader;
  private final IdleAwareWork work;
  private final Meter errors;
  private final Timer runs;
  private final FailureBackoff backoff;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public LeaderOnlyPoller(
      String name, Duration interval, BooleanSupplier isLeader, Work work, MetricRegistry metrics) {
    this(name, interval, isLeader, work, metrics, backoff(name));
  }

  /** As above, with the backoff policy applied when the work fails. */
  public LeaderOnlyPoller(
      String name,
      Duration interval,
      BooleanSupplier isLeader,
      Work work,
      MetricRegistry metrics,
      FailureBackoff backoff) {
    this(name, interval, interval, isLeader, () -> Pass.of(work.run()), metrics, backoff);
  }

  /** A poller whose idle work waits for {@link #wake()}, or {@link #QUIET_INTERVAL} at most. */
  public static LeaderOnlyPoller wakeable(
      String name,
      Duration interval,
      BooleanSupplier isLeader,
      IdleAwareWork work,
      MetricRegistry metrics) {
    return new LeaderOnlyPoller(
        name, interval, QUIET_INTERVAL, isLeader, work, metrics, backoff(name));
  }

  private LeaderOnlyPoller(
      String name,
      Duration interval,
      Duration quietInterval,
      BooleanSupplier isLeader,
      IdleAwareWork work,
      MetricRegistry metrics,
      FailureBackoff backoff) {
    this.backoff = backoff;
    this.name = name;
    this.interval = interval;
    this.quietInterval = quietInterval;
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

  private static FailureBackoff backoff(String name) {
    return new FailureBackoff(
        name, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(), LOG);
  }

  private void loop() {
    while (running) {
      // A stage puts the job it works on in the log context; no field outlives its round.
      MDC.clear();
      Pass pass = Pass.DONE;
      try {
        if (isLeader.getAsBoolean()) {
          try (Timer.Context ignored = runs.time()) {
            pass = work.run();
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
      if (pass != Pass.MORE) {
        Duration wait = pass == Pass.IDLE ? quietInterval : interval;
        try {
          wakeups.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
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
