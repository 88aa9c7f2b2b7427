package dev.kiln.cli.release;

import java.time.Instant;
import java.util.Optional;

/**
 * Judges a color that has taken traffic (a canary share, or all of it in the rollback window)
 * beyond its targets' health, which {@link BlueGreen} checks itself: for example the load
 * balancer's 5xx answers and latency for that color ({@link CloudWatchAlbJudge}).
 */
@FunctionalInterface
public interface CanaryJudge {

  /** Judges nothing beyond target health (an AWS emulator without CloudWatch metrics). */
  CanaryJudge TARGET_HEALTH_ONLY = (color, targetGroupArn, since, until) -> Optional.empty();

  /**
   * @return what is wrong with {@code color} between {@code since} and {@code until}, or empty
   */
  Optional<String> problem(Color color, String targetGroupArn, Instant since, Instant until);
}
