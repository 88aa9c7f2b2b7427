package dev.kiln.agent;

import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.protocol.fleet.AgentDrainMarks;
import dev.kiln.protocol.fleet.AgentStatusStore;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.queue.ShardRef;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.redisson.api.RedissonClient;

/**
 * Publishes the agent's status through the shared {@link AgentStatusStore} with a time to live of a
 * few heartbeats, so a dead agent disappears on its own, and reads the operator's drain mark
 * ({@link AgentDrainMarks}); the running shards' progress goes to {@link RunningShards} with the
 * same time to live. Thread-safe.
 */
public final class RedisAgentRegistry implements AgentRegistry {
  private final AgentStatusStore store;
  private final AgentDrainMarks drainMarks;
  private final RunningShards running;
  private final Duration ttl;

  public RedisAgentRegistry(RedissonClient redisson, Duration ttl) {
    this.store = new AgentStatusStore(redisson);
    this.drainMarks = new AgentDrainMarks(redisson);
    this.running = new RunningShards(redisson, ttl);
    this.ttl = ttl;
  }

  @Override
  public void publish(AgentStatus status) {
    store.publish(status, ttl);
  }

  @Override
  public void remove(String agentId) {
    store.remove(agentId);
  }

  @Override
  public void shardsProgress(List<RunningShards.Report> reports) {
    running.report(reports);
  }

  @Override
  public void shardEnded(ShardRef ref) {
    running.ended(ref.jobId(), ref.idx());
  }

  @Override
  public Optional<String> operatorDrainReason(String agentId) {
    return drainMarks.reason(agentId);
  }
}
