package dev.kiln.bench;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.Completion;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.record.CompletionSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * The CPU each step of a no-op shard's path costs, per process, measured one step at a time over
 * the same job: enqueue, lease (every shard leased and held), complete (every lease completed), and
 * record (the completion sink writes them to PostgreSQL and removes them from Redis). The steps run
 * apart, so each one's CPU is its own; their sum is close to the mixed run's.
 */
final class QueueStepCosts {
  private static final String PROCESSOR = "steps";

  /** One step: CPU milliseconds per shard of this JVM, PostgreSQL and Redis, and its wall time. */
  record Step(String name, ProcessCpu.Sample perShard, double seconds) {
    String describe(int shards) {
      return String.format(
          Locale.ROOT,
          "%-9s %6.1f µs (JVM %5.1f, PostgreSQL %5.1f, Redis %5.1f); %,.0f shards/s",
          name,
          perShard.total() * 1000,
          perShard.jvm() * 1000,
          perShard.postgres() * 1000,
          perShard.redis() * 1000,
          shards / seconds);
    }
  }

  private QueueStepCosts() {}

  static List<Step> measure(
      BenchServices services, RedissonClient redisson, int count, int agents, int leaseBatch)
      throws Exception {
    Jdbi jdbi = services.jdbi();
    Clock clock = Clock.systemUTC();
    RedisWorkQueue queue = new RedisWorkQueue(redisson, clock);
    queue.ensureEpoch(jdbi.onDemand(SchedulerDao.class).nextEpoch());
    List<ShardTask> tasks = SchedulerBench.runningJob(jdbi, PROCESSOR, count);
    List<Step> steps = new ArrayList<>();

    steps.add(step(services, "enqueue", count, () -> queue.enqueue(tasks)));

    ConcurrentLinkedQueue<List<Lease>> held = new ConcurrentLinkedQueue<>();
    steps.add(
        step(
            services,
            "lease",
            count,
            () ->
                onAgents(
                    agents,
                    agentId -> {
                      List<Lease> leases;
                      while (!(leases =
                              queue.lease(
                                  agentId, Set.of(PROCESSOR), leaseBatch, Duration.ofMinutes(10)))
                          .isEmpty()) {
                        held.add(leases);
                      }
                    })));

    steps.add(
        step(
            services,
            "complete",
            count,
            () ->
                onAgents(
                    agents,
                    agentId -> {
                      List<Lease> leases;
                      while ((leases = held.poll()) != null) {
                        List<Completion> done = new ArrayList<>(leases.size());
                        for (Lease lease : leases) {
                          ShardTask task = lease.task();
                          done.add(
                              new Completion(
                                  lease.ref(),
                                  new ShardResult(
                                      ObjectKeys.part(
                                          task.ownerId(),
                                          task.jobId(),
                                          task.idx(),
                                          lease.attempt()),
                                      0,
                                      1,
                                      0,
                                      null,
                                      0.001)));
                        }
                        queue.completeAll(done);
                      }
                    })));

    Leadership leadership = new Leadership(redisson, jdbi, clock, "steps", 60_000);
    leadership.tick();
    CompletionSink sink =
        new CompletionSink(
            jdbi,
            queue,
            leadership,
            clock,
            5_000,
            new MetricRegistry(),
            SchedulerMetrics.registeredIn(new PrometheusRegistry()),
            () -> {},
            new JobNews(redisson));
    UUID jobId = tasks.get(0).jobId();
    steps.add(
        step(
            services,
            "record",
            count,
            () -> {
              while (shardsDone(jdbi, jobId) < count) {
                if (!sink.drainBatch()) {
                  Thread.sleep(1);
                }
              }
              sink.reset();
            }));
    leadership.resign();
    return steps;
  }

  private interface Work {
    void run() throws Exception;
  }

  private interface AgentWork {
    void run(String agentId) throws Exception;
  }

  private static Step step(BenchServices services, String name, int count, Work work)
      throws Exception {
    ProcessCpu.Sample before = services.cpu();
    long start = System.nanoTime();
    work.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Step(name, services.cpu().perRequest(before, count), seconds);
  }

  private static void onAgents(int agents, AgentWork work) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      String agentId = "steps-agent-" + a;
      Thread thread =
          new Thread(
              () -> {
                try {
                  work.run(agentId);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              agentId);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static int shardsDone(Jdbi jdbi, UUID jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select shards_done from jobs where id = ?")
                .bind(0, jobId)
                .mapTo(Integer.class)
                .one());
  }
}
