package dev.kiln.agent.drain;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent does once it must drain: drain (stop leasing, finish what fits, release the rest),
 * then, on an Auto Scaling group, make sure the instance ends and does not wait for the hook's
 * timeout. After a drain tag or a rebalance recommendation it ends the instance itself (the group
 * launches a replacement), so no idle instance stays billed; once the group holds the instance in
 * Terminating:Wait it completes the lifecycle action; then it exits. Off an Auto Scaling group (no
 * hook) it only drains and exits.
 */
public final class DrainCoordinator {

  /** The drain itself; {@code Agent::drain} in production. Returns once no shard is held. */
  @FunctionalInterface
  public interface Drain {
    void drain(String reason, Duration grace);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DrainCoordinator.class);

  private final DrainSignals signals;
  private final Drain drain;
  private final Optional<TerminationHook> hook;
  private final String instanceId;
  private final Clock clock;
  private final Duration terminationWait;
  private final Duration pollInterval;

  /**
   * @param terminationWait how long to wait for the group to hold the instance in Terminating:Wait
   *     after the drain
   */
  public DrainCoordinator(
      DrainSignals signals,
      Drain drain,
      Optional<TerminationHook> hook,
      String instanceId,
      Clock clock,
      Duration terminationWait,
      Duration pollInterval) {
    this.signals = signals;
    this.drain = drain;
    this.hook = hook;
    this.instanceId = instanceId;
    this.clock = clock;
    this.terminationWait = terminationWait;
    this.pollInterval = pollInterval;
  }

  /**
   * Drains for {@code signal} and ends the instance as described above.
   *
   * @return whether the lifecycle action was completed
   */
  public boolean handle(DrainSignal signal) {
    drain.drain(signal.reason(), signal.grace());
    if (hook.isEmpty()) {
      LOG.info("Drained after {}; not in an Auto Scaling group", signal.reason());
      return false;
    }
    if (!signal.kind().instanceEnding()) {
      try {
        hook.get().terminate(instanceId);
        LOG.info("Drained after {}; asked the group to replace {}", signal.reason(), instanceId);
      } catch (RuntimeException e) {
        LOG.warn(
            "Could not end {} through its group ({}); waiting for the group to do it",
            instanceId,
            e.getMessage());
      }
    }
    if (!awaitTerminating()) {
      LOG.warn(
          "{} was not put in Terminating:Wait within {}; exiting without completing the hook",
          instanceId,
          terminationWait);
      return false;
    }
    try {
      hook.get().complete(instanceId);
      LOG.info("Completed the termination lifecycle action of {}", instanceId);
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "Completing the lifecycle action of {} failed ({}); the hook times out instead",
          instanceId,
          e.getMessage());
      return false;
    }
  }

  private boolean awaitTerminating() {
    Instant deadline = clock.instant().plus(terminationWait);
    while (true) {
      try {
        if (signals.terminating()) {
          return true;
        }
      } catch (IOException e) {
        LOG.debug("Instance metadata cannot be read: {}", e.getMessage());
      }
      if (!clock.instant().isBefore(deadline)) {
        return false;
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
