package dev.kiln.scheduler.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.QueueSettings;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardRef;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.SettableClock;
import dev.kiln.testkit.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/** The work-queue protocol against a real Redis. */
@ExtendWith(KilnStackExtension.class)
class RedisWorkQueueIT {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final Set<String> PROCS = Set.of("echo");

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
            QueueSettings.defaults().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    queue.ensureEpoch(3);
  }

  private static List<ShardTask> tasks(
      UUID owner, UUID job, int count, int priority, int maxAttempts) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new ShardTask(
                    job,
                    i,
                    owner,
                    "echo",
                    priority,
                    maxAttempts,
                    "in",
                    "key",
                    i * 10L,
                    i * 10L + 10,
                    1000,
                    "TEXT",
                    null,
                    null,
                    null,
                    Map.of("a", "b"),
                    "out"))
        .toList();
  }

  private static ShardResult result(String key) {
    return new ShardResult(key, 10, 5, 0, null, 0.5);
  }

  @Test
  void leaseCarriesTheTaskAndAnAttemptAboveTheEpochBase() {
    UUID owner = UUID.randomUUID();
    UUID job = UUID.randomUUID();
    assertThat(queue.enqueue(tasks(owner, job, 3, 0, 3))).hasValue(3);
    assertThat(queue.enqueue(tasks(owner, job, 3, 0, 3))).hasValue(0);

    List<Lease> leases = queue.lease("a1", PROCS, 10, VISIBILITY);

    assertThat(leases).hasSize(3);
    assertThat(leases).extracting(Lease::attempt).containsOnly(300_001);
    assertThat(leases.get(0).task()).isEqualTo(tasks(owner, job, 3, 0, 3).get(0));
    assertThat(leases.get(0).deadline()).isEqualTo(clock.instant().plus(VISIBILITY));
    assertThat(queue.lease("a2", PROCS, 10, VISIBILITY)).isEmpty();
  }

  @Test
  void completionCountsOnceAndOnlyWithTheCurrentAttempt() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 3));
    Lease lease = queue.lease("a1", PROCS, 1, VISIBILITY).get(0);

    assertThat(queue.complete(new ShardRef(job, 0, lease.attempt() - 1), result("x"))).isFalse();
    assertThat(queue.complete(lease.ref(), result("part"))).isTrue();
    assertThat(queue.complete(lease.ref(), result("part"))).isFalse();

    List<QueueEvent> events = queue.readEvents(10);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).ref()).isEqualTo(lease.ref());
    assertThat(events.get(0).result()).isEqualTo(result("part"));
    queue.acknowledge(events);
    assertThat(queue.readEvents(10)).isEmpty();
    assertThat(queue.stats().leased()).isZero();
  }

  @Test
  void expiredLeaseReturnsAfterBackoffAndTheLateCompletionIsRejected() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 3));
    Lease first = queue.lease("a1", PROCS, 1, Duration.ofSeconds(5)).get(0);

    clock.advance(Duration.ofSeconds(4));
    assertThat(queue.reap(clock.instant()).requeued()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(queue.reap(clock.instant()).requeued()).isEqualTo(1);
    assertThat(queue.lease("a2", PROCS, 1, VISIBILITY)).as("still backing off").isEmpty();
    clock.advance(Duration.ofMillis(1_001));
    assertThat(queue.reap(clock.instant()).promoted()).isEqualTo(1);

    Lease second = queue.lease("a2", PROCS, 1, VISIBILITY).get(0);
    assertThat(second.attempt()).isEqualTo(first.attempt() + 1);
    assertThat(queue.complete(first.ref(), result("late"))).isFalse();
    assertThat(queue.heartbeat("a1", List.of(first.ref()), VISIBILITY))
        .containsExactly(first.ref());
    assertThat(queue.complete(second.ref(), result("ok"))).isTrue();
    assertThat(queue.readEvents(10))
        .extracting(QueueEvent::attempt)
        .containsExactly(second.attempt());
  }

  @Test
  void backoffDoublesWithEachSpentAttempt() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 5));
    for (long expected : new long[] {1_000, 2_000, 4_000}) {
      Lease lease = queue.lease("a", PROCS, 1, VISIBILITY).get(0);
      assertThat(queue.fail(lease.ref(), "boom", true)).isTrue();
      clock.advance(Duration.ofMillis(expected - 1));
      queue.reap(clock.instant());
      assertThat(queue.lease("a", PROCS, 1, VISIBILITY)).as("before %d ms", expected).isEmpty();
      clock.advance(Duration.ofMillis(1));
      queue.reap(clock.instant());
      assertThat(queue.stats().ready()).isEqualTo(1);
    }
  }

  @Test
  void deadLetterAfterMaxAttemptsCarriesTheReason() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 2));
    for (int i = 0; i < 2; i++) {
      queue.lease("agent-" + i, PROCS, 1, Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(2));
      queue.reap(clock.instant());
      clock.advance(Duration.ofSeconds(10));
      queue.reap(clock.instant());
    }
    List<QueueEvent> events = queue.readEvents(10);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).isCompletion()).isFalse();
    assertThat(events.get(0).error()).contains("lease expired 2 of 2 times").contains("agent-1");
  }

  @Test
  void nonRetryableFailureDeadLettersAtOnce() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 5));
    Lease lease = queue.lease("a", PROCS, 1, VISIBILITY).get(0);
    assertThat(queue.fail(lease.ref(), "bad model", false)).isTrue();
    assertThat(queue.fail(lease.ref(), "bad model", false)).isFalse();
    assertThat(queue.readEvents(10)).extracting(QueueEvent::error).containsExactly("bad model");
  }

  @Test
  void releaseDoesNotSpendAnAttempt() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 1, 0, 1));
    for (int i = 0; i < 5; i++) {
      Lease lease = queue.lease("a", PROCS, 1, VISIBILITY).get(0);
      assertThat(queue.release(lease.ref())).isTrue();
      assertThat(queue.release(lease.ref())).isFalse();
    }
    Lease last = queue.lease("a", PROCS, 1, VISIBILITY).get(0);
    assertThat(last.attempt()).isEqualTo(300_006);
    assertThat(queue.complete(last.ref(), result("ok"))).isTrue();
    assertThat(queue.readEvents(10)).allMatch(QueueEvent::isCompletion);
  }

  @Test
  void heartbeatExtendsTheDeadlineAndReturnsCancelledShards() {
    UUID job = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 2, 0, 3));
    queue.enqueue(tasks(UUID.randomUUID(), other, 1, 0, 3));
    List<Lease> leases = queue.lease("a", PROCS, 3, Duration.ofSeconds(5));
    List<ShardRef> refs = leases.stream().map(Lease::ref).toList();

    clock.advance(Duration.ofSeconds(4));
    assertThat(queue.heartbeat("a", refs, Duration.ofSeconds(5))).isEmpty();
    clock.advance(Duration.ofSeconds(4));
    assertThat(queue.reap(clock.instant()).requeued()).as("heartbeat extended").isZero();
    assertThat(queue.heartbeat("someone-else", refs, Duration.ofSeconds(5))).hasSize(3);

    queue.cancelJob(job);
    Set<ShardRef> stop = queue.heartbeat("a", refs, Duration.ofSeconds(5));
    assertThat(stop).extracting(ShardRef::jobId).containsOnly(job).hasSize(2);
    Lease cancelled = leases.stream().filter(l -> l.task().jobId().equals(job)).findFirst().get();
    assertThat(queue.complete(cancelled.ref(), result("x"))).isFalse();
    assertThat(queue.stats().leased()).isEqualTo(2);
  }

  @Test
  void cancelDropsWaitingShards() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 50, 0, 3));
    assertThat(queue.cancelJob(job)).isEqualTo(50);
    assertThat(queue.lease("a", PROCS, 10, VISIBILITY)).isEmpty();
    assertThat(queue.stats().ready()).isZero();
  }

  @Test
  void smallJobOfAnotherOwnerIsServedWhileABigJobRuns() {
    UUID big = UUID.randomUUID();
    UUID small = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), big, 2_000, 0, 3));
    queue.lease("a", PROCS, 100, VISIBILITY);
    queue.enqueue(tasks(UUID.randomUUID(), small, 3, 0, 3));

    List<Lease> next = queue.lease("a", PROCS, 6, VISIBILITY);

    assertThat(next).filteredOn(l -> l.task().jobId().equals(small)).hasSize(3);
  }

  @Test
  void higherPriorityRunsFirstWithinAnOwner() {
    UUID owner = UUID.randomUUID();
    UUID low = UUID.randomUUID();
    UUID high = UUID.randomUUID();
    queue.enqueue(tasks(owner, low, 5, 0, 3));
    queue.enqueue(tasks(owner, high, 5, 7, 3));
    List<Lease> leases = queue.lease("a", PROCS, 5, VISIBILITY);
    assertThat(leases).extracting(l -> l.task().jobId()).containsOnly(high);
    assertThat(leases).extracting(l -> l.task().idx()).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void concurrencyCapLimitsLeasesPerProcessor() {
    queue.setConcurrencyCap("echo", 4);
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 10, 0, 3));
    List<Lease> first = queue.lease("a", PROCS, 10, VISIBILITY);
    assertThat(first).hasSize(4);
    assertThat(queue.lease("b", PROCS, 10, VISIBILITY)).isEmpty();
    queue.complete(first.get(0).ref(), result("x"));
    assertThat(queue.lease("b", PROCS, 10, VISIBILITY)).hasSize(1);
  }

  @Test
  void flushLeavesTheEpochMissingAndEnqueueRefusesUntilANewEpoch() {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 2, 0, 3));
    Lease before = queue.lease("a", PROCS, 1, VISIBILITY).get(0);
    redisson.getKeys().flushall();

    assertThat(queue.epochMissing()).isTrue();
    assertThat(queue.enqueue(tasks(UUID.randomUUID(), job, 2, 0, 3))).isEmpty();
    assertThat(queue.ensureEpoch(4)).isEqualTo(4);
    assertThat(queue.ensureEpoch(5)).isEqualTo(4);
    queue.enqueue(tasks(UUID.randomUUID(), job, 2, 0, 3), t -> before.attempt());

    List<Lease> after = queue.lease("a", PROCS, 2, VISIBILITY);
    assertThat(after).extracting(Lease::attempt).containsOnly(400_001);
    assertThat(queue.complete(before.ref(), result("old"))).isFalse();
  }

  @Test
  void manyAgentsNeverShareALease() throws Exception {
    UUID job = UUID.randomUUID();
    queue.enqueue(tasks(UUID.randomUUID(), job, 3_000, 0, 3));
    List<Thread> threads = new ArrayList<>();
    Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger duplicates =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 6; t++) {
      String agent = "agent-" + t;
      Thread thread =
          new Thread(
              () -> {
                List<Lease> leases;
                while (!(leases = queue.lease(agent, PROCS, 25, VISIBILITY)).isEmpty()) {
                  for (Lease lease : leases) {
                    if (!seen.add(lease.task().idx())) {
                      duplicates.incrementAndGet();
                    }
                    queue.complete(lease.ref(), result("p"));
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(seen).hasSize(3_000);
    assertThat(queue.stats().unrecordedEvents()).isEqualTo(3_000);
  }
}
