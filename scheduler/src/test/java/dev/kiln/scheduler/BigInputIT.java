package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.FileDao;
import dev.kiln.model.FileState;
import dev.kiln.model.StoredFile;
import dev.kiln.model.plan.ShardPlanner;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * A terabyte input is planned from its size alone: its first shard is leased within a second of the
 * submission. The object is a sparse file in the embedded S3's directory, which answers HEAD with
 * its size like any other.
 */
@ExtendWith(KilnStackExtension.class)
class BigInputIT {
  private static final long TERABYTE = 1L << 40;
  private static final String PROCESSOR = "big-input";

  private static StackClients clients;
  private static Jdbi jdbi;
  private static Path s3Directory;
  private static String uploadsBucket;
  private Fixtures fixtures;
  private Scheduler scheduler;
  private RedissonClient agentRedis;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    uploadsBucket = stack.uploadsBucket();
    s3Directory =
        stack
            .stack()
            .s3Directory()
            .orElseThrow(() -> new IllegalStateException("this test needs the embedded S3"));
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void startScheduler() {
    fixtures = new Fixtures(jdbi, clients.store());
    scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            clients.store(),
            SchedulerSettings.defaults("big-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
    agentRedis = clients.redisson();
  }

  @AfterEach
  void stopScheduler() {
    scheduler.close();
  }

  @Test
  void aTerabyteInputIsPlannedFromItsSizeAloneAndItsFirstShardLeased() throws Exception {
    RedisWorkQueue agentQueue = new RedisWorkQueue(agentRedis, Clock.systemUTC());
    // The first submission pays for loading and compiling the planning path; the second is timed.
    submitAndLeaseFirst(agentQueue, PROCESSOR + "-warm-up");
    // The planner enqueues the rest of that job after its first shard was leased: wait for it.
    int perJob = (int) (TERABYTE / ShardPlanner.DEFAULT_SHARD_BYTES);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> scheduler.queue().stats().ready() == perJob - 1);

    long started = System.nanoTime();
    Lease first = submitAndLeaseFirst(agentQueue, PROCESSOR);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(first.task().start()).isZero();
    assertThat(first.task().end()).isEqualTo(ShardPlanner.DEFAULT_SHARD_BYTES);
    assertThat(first.task().objectSize()).isEqualTo(TERABYTE);
    assertThat(fixtures.job(first.task().jobId()).shardsTotal())
        .isEqualTo((int) (TERABYTE / ShardPlanner.DEFAULT_SHARD_BYTES));
    System.out.printf("a terabyte input: submission to first lease %d ms%n", millis);
    // Reading even a thousandth of the object would take minutes; the 1 s target itself is the
    // benchmarks' to measure, not a test's (this machine may be busy).
    assertThat(millis).as("submission to first lease, ms").isLessThan(30_000);
  }

  /** Submits a job over a new terabyte object and leases as an idle agent does. */
  private Lease submitAndLeaseFirst(RedisWorkQueue agentQueue, String processor) throws Exception {
    UUID owner = fixtures.account();
    StoredFile input = terabyteObject(owner);
    long head = System.nanoTime();
    assertThat(clients.store().head(input.bucket(), input.objectKey()).orElseThrow().sizeBytes())
        .isEqualTo(TERABYTE);
    System.out.printf(
        "a terabyte input: HEAD answered in %d ms%n", (System.nanoTime() - head) / 1_000_000);
    UUID jobId = fixtures.submit(owner, processor, "{}", 0, List.of(input));
    agentRedis.getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<Lease> leases =
          agentQueue.lease("big-agent", Set.of(processor), 1, Duration.ofMinutes(1));
      if (!leases.isEmpty()) {
        assertThat(leases.get(0).task().jobId()).isEqualTo(jobId);
        return leases.get(0);
      }
      agentQueue.awaitWork(Set.of(processor), Duration.ofSeconds(2)).join();
    }
    throw new AssertionError("no shard of " + jobId + " was leased within 30 s");
  }

  private StoredFile terabyteObject(UUID owner) throws Exception {
    UUID fileId = UUID.randomUUID();
    String key = ObjectKeys.upload(owner, fileId, "big.txt");
    Path object = s3Directory.resolve(uploadsBucket).resolve(key);
    Files.createDirectories(object.getParent());
    try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
      file.setLength(TERABYTE);
    }
    // The content hash S3Proxy keeps beside each object it stored (it would otherwise read the
    // whole terabyte to answer HEAD, which S3 never does).
    Files.getFileAttributeView(object, UserDefinedFileAttributeView.class)
        .write("user.content-md5", ByteBuffer.wrap(new byte[16]));
    Instant now = Instant.now();
    StoredFile stored =
        new StoredFile(
            fileId,
            owner,
            "big.txt",
            uploadsBucket,
            key,
            TERABYTE,
            "e",
            FileState.READY,
            now,
            now,
            null);
    jdbi.useHandle(handle -> handle.attach(FileDao.class).insert(stored));
    return stored;
  }
}
