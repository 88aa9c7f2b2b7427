package dev.kiln.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches instance metadata for the notices that end an instance, and asks for a drain on the first
 * one: an EC2 spot interruption ({@code spot/instance-action}: drain until two minutes' notice
 * minus a safety margin), a rebalance recommendation ({@code events/recommendations/rebalance}) or
 * an Auto Scaling termination lifecycle hook ({@code autoscaling/target-lifecycle-state} becomes
 * {@code Terminated}), both with the configured grace. Thread-safe.
 */
public final class InterruptionWatcher implements AutoCloseable {
  /** What the watcher calls; {@link Agent#drain} in production. */
  @FunctionalInterface
  public interface Drain {
    void drain(String reason, Duration grace);
  }

  /** Time kept back from a spot notice for releasing what did not finish. */
  static final Duration SAFETY_MARGIN = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(InterruptionWatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InstanceMetadata metadata;
  private final Duration interval;
  private final Duration grace;
  private final Clock clock;
  private final Drain drain;
  private final AtomicBoolean fired = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "kiln-agent-imds");
            thread.setDaemon(true);
            return thread;
          });
  private boolean warned;

  public InterruptionWatcher(
      InstanceMetadata metadata, Duration interval, Duration grace, Clock clock, Drain drain) {
    this.metadata = metadata;
    this.interval = interval;
    this.grace = grace;
    this.clock = clock;
    this.drain = drain;
  }

  /** Checks now and then every interval, until a notice fires or {@link #close()}. */
  public void start() {
    timer.scheduleWithFixedDelay(this::checkQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether a notice has asked for a drain. */
  public boolean fired() {
    return fired.get();
  }

  private void checkQuietly() {
    try {
      Optional<Notice> notice = check();
      if (notice.isPresent() && fired.compareAndSet(false, true)) {
        LOG.warn(
            "{}: draining within {} s", notice.get().reason(), notice.get().grace().toSeconds());
        timer.execute(() -> drain.drain(notice.get().reason(), notice.get().grace()));
      }
      warned = false;
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        LOG.warn("Instance metadata cannot be read; still watching", e);
        warned = true;
      }
    }
  }

  /** A notice and how long the agent has. */
  public record Notice(String reason, Duration grace) {}

  /** Reads the three notices once. */
  public Optional<Notice> check() throws IOException {
    Optional<String> spot = metadata.get("spot/instance-action");
    if (spot.isPresent()) {
      JsonNode action = JSON.readTree(spot.get());
      Duration left = grace;
      if (action.hasNonNull("time")) {
        Instant at = Instant.parse(action.get("time").asText());
        left = Duration.between(clock.instant(), at).minus(SAFETY_MARGIN);
      }
      left = left.isNegative() ? Duration.ZERO : left;
      return Optional.of(
          new Notice(
              "spot interruption (" + action.path("action").asText("terminate") + ")", left));
    }
    Optional<String> lifecycle = metadata.get("autoscaling/target-lifecycle-state");
    if (lifecycle.isPresent() && lifecycle.get().strip().equals("Terminated")) {
      return Optional.of(new Notice("Auto Scaling termination lifecycle hook", grace));
    }
    Optional<String> rebalance = metadata.get("events/recommendations/rebalance");
    if (rebalance.isPresent()) {
      return Optional.of(new Notice("EC2 rebalance recommendation", grace));
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
