package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A release replaces the schedulers one at a time, and each stops gracefully (SIGTERM): the
 * stopping leader resigns, so its standby takes over on its next tick instead of waiting out the
 * leader lease as after a crash, and the running job finishes with every record once.
 */
@ExtendWith(KilnStackExtension.class)
class LeaderHandOffIT {
  /** Long enough that a take-over within it can only come from the leader's resignation. */
  private static final Duration LEASE = Duration.ofSeconds(15);

  private static final int ROWS = 4_000;

  private static StackClients clients;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  private static Scheduler scheduler(String node) {
    Scheduler scheduler =
        new Scheduler(
            clients.jdbi(),
            clients.redisson(),
            clients.store(),
            SchedulerSettings.defaults(node).withLeaderLease(LEASE),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    return scheduler;
  }

  @Test
  void aStoppingLeaderHandsOverWellWithinTheLeaseAndTheRunningJobLosesNothing() {
    Scheduler outgoing = scheduler("outgoing-" + UUID.randomUUID());
    await().atMost(LEASE.multipliedBy(2)).until(() -> outgoing.leadership().isLeader());
    Scheduler incoming = scheduler("incoming-" + UUID.randomUUID());
    TestAgent agent =
        new TestAgent(
                "hand-off-agent",
                incoming.queue(),
                clients.store(),
                2,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> sleep(Duration.ofMillis(40)))
            .start();
    try {
      Fixtures fixtures = new Fixtures(clients.jdbi(), clients.store());
      UUID owner = fixtures.account();
      String csv =
          "id,name\n"
              + IntStream.range(0, ROWS)
                  .mapToObj(i -> i + ",row-" + i)
                  .collect(Collectors.joining("\n", "", "\n"));
      StoredFile input = fixtures.upload(owner, "rows.csv", csv);
      UUID jobId =
          fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 2048}", 0, List.of(input));
      clients.redisson().getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
      await().atMost(Duration.ofSeconds(30)).until(() -> fixtures.job(jobId).shardsDone() >= 3);
      assertThat(fixtures.job(jobId).state()).isEqualTo(JobState.RUNNING);

      long stopped = System.nanoTime();
      outgoing.close();
      await()
          .atMost(LEASE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> incoming.leadership().isLeader());
      Duration handOff = Duration.ofNanos(System.nanoTime() - stopped);
      System.out.printf(
          "leader hand-off on a graceful stop: %d ms (lease %d s)%n",
          handOff.toMillis(), LEASE.toSeconds());
      // A leader renews every third of the lease, so a crashed one holds it at least two thirds
      // more; a resigned one is replaced on the standby's next tick, within a third.
      assertThat(handOff)
          .as("faster than any take-over after a crash")
          .isLessThan(LEASE.multipliedBy(2).dividedBy(3));

      await().atMost(Duration.ofSeconds(60)).until(() -> fixtures.job(jobId).state().isTerminal());
      Job job = fixtures.job(jobId);
      assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
      assertThat(job.shardsTotal()).isGreaterThan(10);
      assertThat(job.shardsDone()).isEqualTo(job.shardsTotal());
      assertThat(job.records()).isEqualTo(ROWS);
    } finally {
      agent.close();
      incoming.close();
      outgoing.close();
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
