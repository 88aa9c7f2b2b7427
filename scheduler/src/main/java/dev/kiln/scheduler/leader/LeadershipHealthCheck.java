package dev.kiln.scheduler.leader;

import com.codahale.metrics.health.HealthCheck;
import dev.kiln.scheduler.Scheduler;

/** Healthy as leader or follower; the message says which and the queue's size. */
public final class LeadershipHealthCheck extends HealthCheck {
  private final Scheduler scheduler;

  public LeadershipHealthCheck(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  protected Result check() {
    boolean leader = scheduler.leadership().isLeader();
    return Result.healthy(
        (leader ? "leader (token " + scheduler.leadership().token() + ")" : "follower")
            + "; queue "
            + scheduler.queue().stats());
  }
}
