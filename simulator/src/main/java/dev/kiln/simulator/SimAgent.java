package dev.kiln.simulator;

/** One simulated instance and its agent. Not thread-safe. */
final class SimAgent {
  enum Phase {
    BOOTING,
    READY,
    DRAINING,
    GONE
  }

  final int id;
  final boolean spot;
  final double launchedAt;
  Phase phase = Phase.BOOTING;
  SimShard running;
  double runningSince;
  double terminatedAt = Double.NaN;

  /** EC2 announced it reclaims this spot instance. */
  boolean reclaimed;

  SimAgent(int id, boolean spot, double launchedAt) {
    this.id = id;
    this.spot = spot;
    this.launchedAt = launchedAt;
  }

  boolean alive() {
    return phase != Phase.GONE;
  }

  boolean idle() {
    return running == null;
  }

  /** Seconds EC2 bills for this instance up to {@code now}. */
  double billedSeconds(double now, double minimum) {
    double end = alive() ? now : terminatedAt;
    return Math.max(minimum, end - launchedAt);
  }
}
