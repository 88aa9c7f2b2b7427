package dev.kiln.scheduler.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.QueueSettings;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent process killed with SIGKILL while it holds a lease: the fleet sees it exit and the
 * shard is leased again within seconds, not after the lease's deadline, with a newer attempt.
 */
@ExtendWith(KilnStackExtension.class)
class AgentDeathIT {
  private static final String PROCESSOR = "death";

  private StackClients clients;
  private RedisWorkQueue queue;
  private LocalProcessFleet fleet;

  @BeforeEach
  void connect(TestStack stack) {
    clients = new StackClients(stack);
    queue =
        new RedisWorkQueue(
            clients.redisson(),
            Clock.systemUTC(),
            QueueSettings.defaults()
                .withPrefix(RedisKeys.QUEUE_PREFIX + "death-" + UUID.randomUUID() + ":"));
    queue.ensureEpoch(1);
  }

  @AfterEach
  void stopAll() {
    if (fleet != null) {
      fleet.close();
    }
    clients.close();
  }

  private static ShardTask task(UUID job, int idx) {
    return new ShardTask(
        job,
        idx,
        UUID.randomUUID(),
        PROCESSOR,
        0,
        3,
        "in",
        "k",
        0,
        1,
        1,
        "TEXT",
        null,
        null,
        null,
        Map.of(),
        "out");
  }

  @Test
  void aKilledAgentsShardIsLeasedAgainWithinFiveSeconds(@TempDir Path dir) {
    fleet =
        new LocalProcessFleet(
            System.getProperty("java.class.path"),
            Map.of("KILN_AGENT_WORK_DIR", dir.resolve("agents").toString()),
            dir.resolve("logs"),
            List.of("-Xmx32m"),
            Map::of,
            IdleAgentMain.class.getName(),
            agentId -> LocalFleetFactory.releaseLeases(queue, agentId));
    fleet.resize(1);
    String agentId = fleet.agentIds().get(0);
    long pid = fleet.pids().get(0);
    UUID job = UUID.randomUUID();
    queue.enqueue(List.of(task(job, 0), task(job, 1)));
    // The lease a real agent would take; the minute-long deadline is what must not be waited for.
    List<Lease> held = queue.lease(agentId, Set.of(PROCESSOR), 1, Duration.ofSeconds(60));
    assertThat(held).hasSize(1);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    long killedAt = System.nanoTime();
    List<Lease> again = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              again.addAll(queue.lease("survivor", Set.of(PROCESSOR), 2, Duration.ofSeconds(60)));
              return again.stream().anyMatch(l -> l.task().idx() == held.get(0).task().idx());
            });

    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(5));
    Lease retaken =
        again.stream().filter(l -> l.task().idx() == held.get(0).task().idx()).findFirst().get();
    assertThat(retaken.attempt()).isGreaterThan(held.get(0).attempt() + 1);
    assertThat(queue.complete(held.get(0).ref(), new ShardResult("late", 1, 1, 0, null, 0.1)))
        .as("the dead agent's late completion")
        .isFalse();
    assertThat(queue.complete(retaken.ref(), new ShardResult("k", 1, 1, 0, null, 0.1))).isTrue();
  }
}
