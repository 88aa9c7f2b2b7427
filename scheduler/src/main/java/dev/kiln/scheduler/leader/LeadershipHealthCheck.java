package dev.kiln.scheduler.leader;

import com.codahale.metrics.health.HealthCheck;
import dev.kiln.protocol.queue.QueueStats;
import java.util.function.Supplier;

/** Healthy as leader or follower; the message says which and the queue's size. */
public final class LeadershipHealthCheck extends HealthCheck {
  private final Leadership leadership;
  private final Supplier<QueueStats> queueStats;

  public LeadershipHealthCheck(Leadership leadership, Supplier<QueueStats> queueStats) {
    this.leadership = leadership;
    this.queueStats = queueStats;
  }

  @Override
  protected Result check() {
    boolean leader = leadership.isLeader();
    return Result.healthy(
        (leader ? "leader (token " + leadership.token() + ")" : "follower")
            + "; queue "
            + queueStats.get());
  }
}
