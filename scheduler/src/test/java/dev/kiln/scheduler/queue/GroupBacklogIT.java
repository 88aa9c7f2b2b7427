package dev.kiln.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.QueueSettings;
import dev.kiln.protocol.queue.QueueStats;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.SettableClock;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** Each agent group's backlog, counted from the real work queue by processor. */
@ExtendWith(KilnStackExtension.class)
class GroupBacklogIT {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  private static StackClients clients;
  private static RedissonClient redisson;
  private SettableClock clock;
  private RedisWorkQueue queue;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    redisson = clients.redisson();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void freshQueue() {
    redisson.getKeys().flushall();
    clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    queue =
        new RedisWorkQueue(
            redisson,
            clock,
            QueueSettings.defaults().withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)));
    queue.ensureEpoch(1);
  }

  private static List<ShardTask> tasks(String processor, int count) {
    UUID job = UUID.randomUUID();
    UUID owner = UUID.randomUUID();
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new ShardTask(
                    job,
                    i,
                    owner,
                    processor,
                    0,
                    3,
                    "in",
                    "key",
                    i * 10L,
                    i * 10L + 10,
                    1000,
                    "TEXT",
                    null,
                    null,
                    null,
                    Map.of(),
                    "out"))
        .toList();
  }

  @Test
  void aGroupSeesOnlyTheBacklogOfItsProcessorsAndTheMainFleetTheRest() {
    queue.enqueue(tasks("parse", 5));
    queue.enqueue(tasks("tf-savedmodel", 3));
    queue.enqueue(tasks("echo", 2));
    List<Lease> parsing = queue.lease("cpu-1", Set.of("parse"), 2, VISIBILITY);
    queue.lease("gpu-1", Set.of("tf-savedmodel"), 1, VISIBILITY);
    assertThat(queue.fail(parsing.get(0).ref(), "flaky read", true)).isTrue();

    QueueStats cpu = queue.stats(Set.of("parse"), true);
    QueueStats rest = queue.stats(Set.of("parse"), false);

    assertThat(cpu).isEqualTo(new QueueStats(3, 1, 1, 0));
    assertThat(rest).isEqualTo(new QueueStats(4, 1, 0, 0));
    QueueStats all = queue.stats();
    assertThat(cpu.ready() + rest.ready()).isEqualTo(all.ready());
    assertThat(cpu.leased() + rest.leased()).isEqualTo(all.leased());
    assertThat(cpu.delayed() + rest.delayed()).isEqualTo(all.delayed());
  }

  @Test
  void anIdleGroupHasNoBacklog() {
    queue.enqueue(tasks("tf-savedmodel", 3));
    assertThat(queue.stats(Set.of("parse"), true)).isEqualTo(new QueueStats(0, 0, 0, 0));
  }
}
