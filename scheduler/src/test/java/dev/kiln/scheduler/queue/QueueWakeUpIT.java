package dev.kiln.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/** An idle agent's wait for work: blocked in Redis, ended by the queue's wake-up. */
@ExtendWith(KilnStackExtension.class)
class QueueWakeUpIT {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final Set<String> PROCS = Set.of("echo");

  private static StackClients clients;
  private static RedissonClient redisson;
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
    queue = new RedisWorkQueue(redisson, Clock.systemUTC());
    queue.ensureEpoch(4);
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
  void aWaitingAgentWakesWhenWorkIsEnqueued() throws Exception {
    CompletableFuture<Boolean> waiting = queue.awaitWork(PROCS, Duration.ofSeconds(20));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();

    long enqueued = System.nanoTime();
    queue.enqueue(tasks("echo", 1));

    assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enqueued)).isLessThan(1_000);
    assertThat(queue.lease("a1", PROCS, 1, VISIBILITY)).hasSize(1);
  }

  @Test
  void workForAnotherProcessorLeavesTheWaitAlone() throws Exception {
    CompletableFuture<Boolean> waiting = queue.awaitWork(PROCS, Duration.ofSeconds(2));
    queue.enqueue(tasks("other", 3));

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aWaitWithoutWorkEndsAfterItsLongestWait() throws Exception {
    long started = System.nanoTime();
    CompletableFuture<Boolean> waiting = queue.awaitWork(PROCS, Duration.ofSeconds(1));

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThan(900);
  }

  @Test
  void aSlotFreedUnderTheCapWakesAnAgentWaitingForIt() throws Exception {
    queue.setConcurrencyCap("echo", 1);
    queue.enqueue(tasks("echo", 2));
    Lease first = queue.lease("a1", PROCS, 1, VISIBILITY).get(0);
    assertThat(queue.lease("a2", PROCS, 1, VISIBILITY)).isEmpty();
    // The enqueue's wake-ups were spent while the cap was full.
    while (queue.awaitWork(PROCS, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS)) {
      assertThat(queue.lease("a2", PROCS, 1, VISIBILITY)).isEmpty();
    }

    CompletableFuture<Boolean> waiting = queue.awaitWork(PROCS, Duration.ofSeconds(20));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    queue.complete(first.ref(), new ShardResult("part", 1, 1, 0, null, 0.1));

    assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.lease("a2", PROCS, 1, VISIBILITY)).hasSize(1);
  }

  @Test
  void anAgentThatLeavesWorkBehindPassesTheWakeUpOn() throws Exception {
    queue.enqueue(tasks("echo", 3));
    while (queue.awaitWork(PROCS, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS)) {
      // Spend the enqueue's wake-ups: only the one a lease passes on is left to wait for.
    }
    CompletableFuture<Boolean> waiting = queue.awaitWork(PROCS, Duration.ofSeconds(20));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();

    assertThat(queue.lease("a1", PROCS, 1, VISIBILITY)).hasSize(1);

    assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
  }
}
