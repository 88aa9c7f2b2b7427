package dev.kiln.agent.drain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.protocol.InstanceTags;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything EC2 and Auto Scaling say about the end of this instance, read from instance metadata
 * (IMDSv2): a spot interruption notice ({@code spot/instance-action}: drain until its time minus a
 * safety margin), the Auto Scaling lifecycle state ({@code autoscaling/target-lifecycle-state} =
 * {@code Terminated}: the group terminates the instance and waits on the termination hook), the
 * {@code kiln:drain} instance tag that a GPU rollout sets ({@code tags/instance/kiln:drain}, with
 * instance tags in metadata), and a rebalance recommendation ({@code
 * events/recommendations/rebalance}). {@link #shouldDrain()} answers from the last poll, so the
 * leasing loop can ask it as often as it likes. Thread-safe.
 */
public final class DrainSignals implements AutoCloseable {

  /** Reads instance metadata; {@code dev.kiln.agent.InstanceMetadata} on EC2 (IMDSv2). */
  @FunctionalInterface
  public interface Metadata {
    /**
     * The value at {@code /latest/meta-data/{path}}, or empty when there is none (404).
     *
     * @throws IOException when the service cannot be reached or refuses
     */
    Optional<String> get(String path) throws IOException;
  }

  /** Time kept back from a spot notice for releasing what did not finish. */
  public static final Duration SAFETY_MARGIN = Duration.ofSeconds(15);

  static final String SPOT = "spot/instance-action";
  static final String LIFECYCLE = "autoscaling/target-lifecycle-state";
  static final String DRAIN_TAG = "tags/instance/" + InstanceTags.DRAIN;
  static final String REBALANCE = "events/recommendations/rebalance";

  private static final Logger LOG = LoggerFactory.getLogger(DrainSignals.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Metadata metadata;
  private final Duration grace;
  private final Duration interval;
  private final Clock clock;
  private final AtomicReference<DrainSignal> latest = new AtomicReference<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kiln-agent-drain-signals");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean warned;

  /**
   * @param grace how long a drain may take when the signal does not say (lifecycle hook, tag,
   *     rebalance); keep it below the hook's heartbeat timeout
   * @param interval time between polls
   */
  public DrainSignals(Metadata metadata, Duration grace, Duration interval, Clock clock) {
    this.metadata = metadata;
    this.grace = grace;
    this.interval = interval;
    this.clock = clock;
  }

  /**
   * Polls every interval until {@link #close()}; calls {@code firstSignal} once, on its own thread,
   * with the first signal seen.
   */
  public void watch(Consumer<DrainSignal> firstSignal) {
    timer.scheduleWithFixedDelay(
        () -> poll(firstSignal), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the last poll saw a reason to drain. */
  public boolean shouldDrain() {
    return latest.get() != null;
  }

  /** The first signal seen, if any. */
  public Optional<DrainSignal> signal() {
    return Optional.ofNullable(latest.get());
  }

  private void poll(Consumer<DrainSignal> firstSignal) {
    try {
      Optional<DrainSignal> signal = check();
      warned = false;
      if (signal.isPresent() && latest.compareAndSet(null, signal.get())) {
        LOG.warn(
            "{}: draining within {} s", signal.get().reason(), signal.get().grace().toSeconds());
        timer.execute(() -> firstSignal.accept(signal.get()));
      }
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        LOG.warn("Instance metadata cannot be read; still watching", e);
        warned = true;
      }
    }
  }

  /** Reads every source once; the most urgent signal wins. */
  public Optional<DrainSignal> check() throws IOException {
    Optional<String> spot = metadata.get(SPOT);
    if (spot.isPresent()) {
      JsonNode action = JSON.readTree(spot.get());
      Duration left = grace;
      if (action.hasNonNull("time")) {
        Instant at = Instant.parse(action.get("time").asText());
        left = Duration.between(clock.instant(), at).minus(SAFETY_MARGIN);
      }
      left = left.isNegative() ? Duration.ZERO : left;
      return Optional.of(
          new DrainSignal(
              DrainSignal.Kind.SPOT_INTERRUPTION,
              left,
              "spot interruption (" + action.path("action").asText("terminate") + ")"));
    }
    if (terminating()) {
      return Optional.of(
          new DrainSignal(
              DrainSignal.Kind.LIFECYCLE_TERMINATING,
              grace,
              "Auto Scaling termination lifecycle hook"));
    }
    Optional<String> tag = metadata.get(DRAIN_TAG);
    if (tag.isPresent() && !tag.get().isBlank() && !tag.get().strip().equals("false")) {
      return Optional.of(
          new DrainSignal(
              DrainSignal.Kind.DRAIN_TAG,
              grace,
              InstanceTags.DRAIN + " tag (" + tag.get().strip() + ")"));
    }
    if (metadata.get(REBALANCE).isPresent()) {
      return Optional.of(
          new DrainSignal(
              DrainSignal.Kind.REBALANCE_RECOMMENDATION, grace, "EC2 rebalance recommendation"));
    }
    return Optional.empty();
  }

  /** Whether the Auto Scaling group is terminating this instance (Terminating:Wait). */
  public boolean terminating() throws IOException {
    return metadata.get(LIFECYCLE).map(state -> state.strip().equals("Terminated")).orElse(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
