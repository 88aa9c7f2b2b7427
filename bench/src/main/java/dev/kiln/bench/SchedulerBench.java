package dev.kiln.bench;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.model.FileState;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.Completion;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.record.CompletionSink;
import dev.kiln.scheduler.settings.SchedulerSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/**
 * Measures the scheduler's work-queue path end to end on this machine: no-op shards leased,
 * completed and recorded in Postgres by several agent threads; lease latency at light load; and the
 * time from a job's submission to its first shard running on an idle agent. Prints the figures, the
 * conditions and the ratio to a {@code redis-benchmark} run against the same Redis.
 *
 * <p>Arguments: {@code [shards=200000] [agentThreads=4] [leaseBatch=250]}. PostgreSQL and S3 run
 * durable, as in production ({@code fsync} and {@code synchronous_commit} on; {@code
 * -Dbench.durable=false} for the fast settings of tests); {@code -Dbench.alsoFast=true} measures
 * the throughput once more on the fast settings and prints it beside, labelled.
 */
public final class SchedulerBench {
  private static final String NOOP = "noop";
  private static final int WARM_UP_SHARDS = 50_000;
  private static final int WARM_UP_PASSES = Integer.getInteger("bench.warmUpPasses", 6);

  private SchedulerBench() {}

  public static void main(String[] args) throws Exception {
    int shards = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int leaseBatch = args.length > 2 ? Integer.parseInt(args[2]) : 250;
    try (BenchServices services = BenchServices.start()) {
      Jdbi jdbi = services.jdbi();
      RedissonClient redisson = services.redisson();
      try {
        double redisRaw = redisBenchmark(services.redisPort());
        Conditions conditions = conditions(jdbi, redisson, agents, leaseBatch);
        // The same path unmeasured first: until the JIT has compiled it, a shard costs several
        // times its steady CPU, and a scheduler runs for weeks.
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
          throughput(services, redisson, WARM_UP_SHARDS, agents, leaseBatch);
        }
        Throughput throughput = throughput(services, redisson, shards, agents, leaseBatch);
        List<QueueStepCosts.Step> steps =
            QueueStepCosts.measure(services, redisson, shards, agents, leaseBatch);
        double[] leaseLatency = leaseLatency(jdbi, redisson);
        // The measured jobs have no parts to assemble: close them and start the next phase clean.
        jdbi.useHandle(
            h -> {
              h.execute("update jobs set state = <job_ASSEMBLING> where state = <job_RUNNING>");
              h.execute(
                  "update jobs set state = <job_SUCCEEDED>, finished_at = now()"
                      + " where state = <job_ASSEMBLING>");
            });
        redisson.getKeys().flushall();
        FirstLease firstLease = submitToFirstLease(services, jdbi);
        System.out.println();
        System.out.println("KILN SCHEDULER BENCHMARK");
        System.out.println("  conditions: " + conditions);
        System.out.printf(
            Locale.ROOT,
            "  throughput: %,d no-op shards leased, completed and recorded in Postgres in %.2f s"
                + " = %,.0f shards/s (agents done after %.2f s; enqueue %,.0f shards/s;"
                + " %d sink transactions)%n",
            shards,
            throughput.seconds(),
            shards / throughput.seconds(),
            throughput.agentsSeconds(),
            throughput.enqueuePerSecond(),
            throughput.transactions());
        System.out.println("  completion sink: " + throughput.sink());
        System.out.printf(
            Locale.ROOT,
            "  CPU per shard while measured: %.1f µs (this JVM: agents, sink, Redis client %.1f, of"
                + " which JIT compiler threads %.1f; PostgreSQL %.1f; Redis %.1f); %d cores give"
                + " %.1f µs per shard at 30,000/s%n",
            throughput.cpuPerShard().total() * 1000,
            throughput.cpuPerShard().jvm() * 1000,
            throughput.compilingMillis() * 1000 / shards,
            throughput.cpuPerShard().postgres() * 1000,
            throughput.cpuPerShard().redis() * 1000,
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors() * 1e6 / 30_000);
        System.out.println(
            "  CPU per shard by step, each step run apart over a job of the same size:");
        for (QueueStepCosts.Step step : steps) {
          System.out.println("    " + step.describe(shards));
        }
        System.out.printf(
            Locale.ROOT,
            "  redis-benchmark (SET/GET, 50 clients, no pipelining): %,.0f commands/s;"
                + " shards/s is %.2fx that figure%n",
            redisRaw,
            shards / throughput.seconds() / redisRaw);
        System.out.printf(
            Locale.ROOT,
            "  lease latency at light load (1 agent, k=1, %d leases): p50 %.2f ms, p99 %.2f ms%n",
            leaseLatency.length,
            percentile(leaseLatency, 50),
            percentile(leaseLatency, 99));
        System.out.printf(
            Locale.ROOT,
            "  submit to first shard running on an idle agent (%d jobs, the agent waiting for the"
                + " queue's wake-up):"
                + " p50 %.1f ms, p99 %.1f ms (%s)%n",
            firstLease.millis().length,
            percentile(firstLease.millis(), 50),
            percentile(firstLease.millis(), 99),
            firstLease.parts());
      } finally {
        redisson.shutdown();
      }
    }
    if (Boolean.getBoolean("bench.alsoFast")) {
      printFastThroughput(shards, agents, leaseBatch);
    }
  }

  /**
   * The same throughput on a second stack with the fast settings of tests ({@code fsync} and {@code
   * synchronous_commit} off), printed beside the durable figure and labelled: production never runs
   * so, but the difference shows what durability costs.
   */
  private static void printFastThroughput(int shards, int agents, int leaseBatch) throws Exception {
    try (BenchServices services = BenchServices.start(false)) {
      RedissonClient redisson = services.redisson();
      try {
        throughput(services, redisson, WARM_UP_SHARDS, agents, leaseBatch);
        Throughput fast = throughput(services, redisson, shards, agents, leaseBatch);
        System.out.printf(
            Locale.ROOT,
            "  NOT DURABLE (%s, the settings of tests, never of production), load average %s:"
                + " %,.0f shards/s, CPU per shard %.1f µs (this JVM %.1f; PostgreSQL %.1f;"
                + " Redis %.1f)%n",
            services.durability(),
            loadAverage(),
            shards / fast.seconds(),
            fast.cpuPerShard().total() * 1000,
            fast.cpuPerShard().jvm() * 1000,
            fast.cpuPerShard().postgres() * 1000,
            fast.cpuPerShard().redis() * 1000);
      } finally {
        redisson.shutdown();
      }
    }
  }

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg has them. */
  static String loadAverage() throws java.io.IOException {
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    return load.substring(0, load.indexOf(' ', load.indexOf(' ', load.indexOf(' ') + 1) + 1));
  }

  /** The machine and services the figures were measured on. */
  record Conditions(
      int cores,
      String loadAverage,
      String postgres,
      String fsync,
      String synchronousCommit,
      String redis,
      int agents,
      int leaseBatch) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d cores, load average %s, PostgreSQL %s (fsync=%s, synchronous_commit=%s), Redis %s,"
              + " all on loopback; %d agent threads leasing %d shards per call; measured after"
              + " %d unmeasured runs of %,d shards through the same path",
          cores,
          loadAverage,
          postgres,
          fsync,
          synchronousCommit,
          redis,
          agents,
          leaseBatch,
          WARM_UP_PASSES,
          WARM_UP_SHARDS);
    }
  }

  record Throughput(
      double seconds,
      double agentsSeconds,
      double enqueuePerSecond,
      long transactions,
      ProcessCpu.Sample cpuPerShard,
      double compilingMillis,
      String sink) {}

  private static Conditions conditions(
      Jdbi jdbi, RedissonClient redisson, int agents, int leaseBatch) throws Exception {
    String info =
        redisson
            .getScript()
            .eval(
                org.redisson.api.RScript.Mode.READ_ONLY,
                "return redis.call('INFO', 'server')",
                org.redisson.api.RScript.ReturnType.STRING);
    Matcher version = Pattern.compile("redis_version:(\\S+)").matcher(info);
    return jdbi.withHandle(
        handle ->
            new Conditions(
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                handle.createQuery("show server_version").mapTo(String.class).one(),
                handle.createQuery("show fsync").mapTo(String.class).one(),
                handle.createQuery("show synchronous_commit").mapTo(String.class).one(),
                version.find() ? version.group(1) : "?",
                agents,
                leaseBatch));
  }

  private static double redisBenchmark(int port) throws Exception {
    Process process =
        new ProcessBuilder(
                "redis-benchmark",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-q",
                "-n",
                "200000",
                "-t",
                "set,get")
            .redirectErrorStream(true)
            .start();
    List<Double> rates = new ArrayList<>();
    Pattern rate = Pattern.compile("(SET|GET): ([0-9.]+) requests per second");
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        for (String part : line.split("\r")) {
          Matcher matcher = rate.matcher(part);
          if (matcher.find()) {
            rates.add(Double.parseDouble(matcher.group(2)));
          }
        }
      }
    }
    process.waitFor();
    redisBenchmarkCleanup(port);
    return rates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static void redisBenchmarkCleanup(int port) throws Exception {
    new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "flushall")
        .redirectErrorStream(true)
        .start()
        .waitFor();
  }

  /** Sets up one running job of {@code count} shards; answers its tasks. */
  static List<ShardTask> runningJob(Jdbi jdbi, String processor, int count) {
    UUID owner = UUID.randomUUID();
    UUID fileId = UUID.randomUUID();
    UUID jobId = UUID.randomUUID();
    Instant now = Instant.now();
    jdbi.useTransaction(
        handle -> {
          handle.execute(
              "insert into accounts (id, email, password_hash, role, created_at)"
                  + " values (?, ?, 'x', 'USER', now())",
              owner,
              owner + "@bench.example");
          handle
              .attach(FileDao.class)
              .insert(
                  new StoredFile(
                      fileId,
                      owner,
                      "in.txt",
                      "bench",
                      "in",
                      count * 100L,
                      "e",
                      FileState.READY,
                      now,
                      now,
                      null));
          JobDao jobs = handle.attach(JobDao.class);
          jobs.insert(
              new Job(
                  jobId,
                  owner,
                  processor,
                  null,
                  "{}",
                  0,
                  JobState.RUNNING,
                  null,
                  null,
                  count,
                  0,
                  0,
                  0,
                  0,
                  now,
                  now,
                  null));
          jobs.insertInput(jobId, 0, fileId);
          handle.execute(
              "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
                  + " state, attempt, updated_at) select ?, i, 0, ?, i * 100, i * 100 + 100,"
                  + " <shard_QUEUED>, 0, now() from generate_series(0, ? - 1) as i",
              jobId,
              fileId,
              count);
        });
    List<ShardTask> tasks = new ArrayList<>(count);
    for (int idx = 0; idx < count; idx++) {
      tasks.add(
          new ShardTask(
              jobId,
              idx,
              owner,
              processor,
              0,
              3,
              "bench",
              "in",
              idx * 100L,
              idx * 100L + 100,
              count * 100L,
              "TEXT",
              null,
              null,
              null,
              Map.of(),
              "bench-results"));
    }
    return tasks;
  }

  private static Throughput throughput(
      BenchServices services, RedissonClient redisson, int count, int agents, int leaseBatch)
      throws Exception {
    Jdbi jdbi = services.jdbi();
    Clock clock = Clock.systemUTC();
    RedisWorkQueue queue = new RedisWorkQueue(redisson, clock);
    queue.ensureEpoch(jdbi.onDemand(SchedulerDao.class).nextEpoch());
    List<ShardTask> tasks = runningJob(jdbi, NOOP, count);
    long enqueueStart = System.nanoTime();
    queue.enqueue(tasks);
    double enqueueSeconds = (System.nanoTime() - enqueueStart) / 1e9;

    Leadership leadership = new Leadership(redisson, jdbi, clock, "bench", 10_000);
    leadership.tick();
    MetricRegistry metrics = new MetricRegistry();
    CompletionSink sink =
        new CompletionSink(
            jdbi,
            queue,
            leadership,
            clock,
            5_000,
            metrics,
            SchedulerMetrics.registeredIn(new PrometheusRegistry()),
            () -> {},
            new JobNews(redisson));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong transactions = new AtomicLong();
    Thread sinkThread =
        new Thread(
            () -> {
              while (running.get()) {
                if (!sink.drainBatch()) {
                  sleep(2);
                }
                transactions.incrementAndGet();
              }
            },
            "sink");
    Thread leader =
        new Thread(
            () -> {
              while (running.get()) {
                sleep(1_000);
                leadership.tick();
              }
            },
            "leader");
    leader.setDaemon(true);
    List<Thread> agentThreads = new ArrayList<>();
    ProcessCpu.Sample cpuBefore = services.cpu();
    double compilingBefore = ProcessCpu.jitMillis();
    long start = System.nanoTime();
    sinkThread.start();
    leader.start();
    for (int a = 0; a < agents; a++) {
      String agentId = "agent-" + a;
      Thread thread =
          new Thread(
              () -> {
                List<Lease> leases;
                while (!(leases =
                        queue.lease(agentId, Set.of(NOOP), leaseBatch, Duration.ofMinutes(5)))
                    .isEmpty()) {
                  List<Completion> done = new ArrayList<>(leases.size());
                  for (Lease lease : leases) {
                    ShardTask task = lease.task();
                    done.add(
                        new Completion(
                            lease.ref(),
                            new ShardResult(
                                ObjectKeys.part(
                                    task.ownerId(), task.jobId(), task.idx(), lease.attempt()),
                                0,
                                1,
                                0,
                                null,
                                0.001)));
                  }
                  queue.completeAll(done);
                }
              },
              agentId);
      agentThreads.add(thread);
      thread.start();
    }
    for (Thread thread : agentThreads) {
      thread.join();
    }
    double agentsSeconds = (System.nanoTime() - start) / 1e9;
    UUID jobId = tasks.get(0).jobId();
    while (jdbi.withHandle(
            h ->
                h.createQuery("select shards_done from jobs where id = ?")
                    .bind(0, jobId)
                    .mapTo(Integer.class)
                    .one())
        < count) {
      sleep(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ProcessCpu.Sample cpuPerShard = services.cpu().perRequest(cpuBefore, count);
    double compilingMillis = ProcessCpu.jitMillis() - compilingBefore;
    running.set(false);
    sinkThread.join();
    leadership.resign();
    long done =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "select count(*) from shards where job_id = ? and state = <shard_DONE>")
                    .bind(0, jobId)
                    .mapTo(Long.class)
                    .one());
    if (done != count) {
      throw new IllegalStateException("only " + done + " of " + count + " shards were recorded");
    }
    List<String> sinkParts = new ArrayList<>();
    for (String part : List.of("read", "record", "acknowledge")) {
      var timer = metrics.timer("scheduler.sink." + part);
      sinkParts.add(
          String.format(
              Locale.ROOT,
              "%s %d calls, mean %.1f ms",
              part,
              timer.getCount(),
              timer.getSnapshot().getMean() / 1e6));
    }
    return new Throughput(
        seconds,
        agentsSeconds,
        count / enqueueSeconds,
        transactions.get(),
        cpuPerShard,
        compilingMillis,
        String.join("; ", sinkParts));
  }

  private static double[] leaseLatency(Jdbi jdbi, RedissonClient redisson) {
    Clock clock = Clock.systemUTC();
    RedisWorkQueue queue = new RedisWorkQueue(redisson, clock);
    int count = 2_000;
    queue.enqueue(runningJob(jdbi, "light", count));
    double[] millis = new double[count];
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      List<Lease> leases = queue.lease("light-agent", Set.of("light"), 1, Duration.ofMinutes(1));
      millis[i] = (System.nanoTime() - start) / 1e6;
      queue.complete(leases.get(0).ref(), new ShardResult("k", 0, 1, 0, null, 0.001));
      sleep(1);
    }
    return millis;
  }

  /**
   * Submission to first lease per job, with its parts: the submitting transaction's commit, and the
   * planner's runs (the timer of every run, those the tick starts included).
   */
  record FirstLease(double[] millis, double[] commitMillis, Snapshot plannerRuns) {
    String parts() {
      return String.format(
          Locale.ROOT,
          "of which the submission's commit p50 %.1f ms, p99 %.1f ms; planner runs p50 %.1f ms,"
              + " p99 %.1f ms, max %.1f ms",
          percentile(commitMillis, 50),
          percentile(commitMillis, 99),
          plannerRuns.getMedian() / 1e6,
          plannerRuns.get99thPercentile() / 1e6,
          plannerRuns.getMax() / 1e6);
    }
  }

  private static FirstLease submitToFirstLease(BenchServices services, Jdbi jdbi) throws Exception {
    RedissonClient schedulerRedis = services.redisson();
    MetricRegistry schedulerMetrics = new MetricRegistry();
    Scheduler scheduler =
        new Scheduler(
            jdbi,
            schedulerRedis,
            services.store(),
            SchedulerSettings.defaults("bench-scheduler"),
            Clock.systemUTC(),
            schedulerMetrics);
    scheduler.start();
    while (!scheduler.leadership().isLeader()) {
      sleep(50);
    }
    RedissonClient agentRedis = services.redisson();
    RedisWorkQueue agentQueue = new RedisWorkQueue(agentRedis, Clock.systemUTC());
    UUID owner = UUID.randomUUID();
    jdbi.useHandle(
        h ->
            h.execute(
                "insert into accounts (id, email, password_hash, role, created_at)"
                    + " values (?, ?, 'x', 'USER', now())",
                owner,
                owner + "@bench.example"));
    byte[] content = "one record\n".getBytes(StandardCharsets.UTF_8);
    UUID fileId = UUID.randomUUID();
    String bucket = services.store().settings().uploadsBucket();
    String key = ObjectKeys.upload(owner, fileId, "one.txt");
    services.store().put(bucket, key, content);
    Instant now = Instant.now();
    jdbi.onDemand(FileDao.class)
        .insert(
            new StoredFile(
                fileId,
                owner,
                "one.txt",
                bucket,
                key,
                content.length,
                "e",
                FileState.READY,
                now,
                now,
                null));
    int jobs = 40;
    double[] millis = new double[jobs];
    double[] commitMillis = new double[jobs];
    try {
      for (int i = 0; i < jobs; i++) {
        UUID jobId = UUID.randomUUID();
        long submitted = System.nanoTime();
        jdbi.useTransaction(
            handle -> {
              JobDao dao = handle.attach(JobDao.class);
              dao.insert(
                  new Job(
                      jobId,
                      owner,
                      "first-lease",
                      null,
                      "{}",
                      0,
                      JobState.SUBMITTED,
                      null,
                      null,
                      0,
                      0,
                      0,
                      0,
                      0,
                      Instant.now(),
                      null,
                      null));
              dao.insertInput(jobId, 0, fileId);
              handle
                  .attach(OutboxDao.class)
                  .append(jobId, owner, OutboxEventType.SUBMITTED, "{}", Instant.now());
            });
        commitMillis[i] = (System.nanoTime() - submitted) / 1e6;
        schedulerRedis.getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
        List<Lease> leases;
        while ((leases =
                agentQueue.lease("idle-agent", Set.of("first-lease"), 1, Duration.ofMinutes(1)))
            .isEmpty()) {
          // The agent's waiting step: block on the queue's wake-up, as an idle agent does.
          agentQueue.awaitWork(Set.of("first-lease"), Duration.ofSeconds(30)).join();
        }
        millis[i] = (System.nanoTime() - submitted) / 1e6;
        agentQueue.release(leases.get(0).ref());
        agentQueue.cancelJob(jobId);
        sleep(100);
      }
    } finally {
      scheduler.close();
      schedulerRedis.shutdown();
      agentRedis.shutdown();
    }
    return new FirstLease(
        millis,
        commitMillis,
        schedulerMetrics.timer(MetricRegistry.name("scheduler", "planner", "runs")).getSnapshot());
  }

  private static double percentile(double[] values, int percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
