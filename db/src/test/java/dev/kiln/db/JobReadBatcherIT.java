package dev.kiln.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.db.JobReads.JobWithInputs;
import dev.kiln.model.FileState;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.Role;
import dev.kiln.model.StoredFile;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobReadBatcherIT {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private DataSource dataSource;
  private Jdbi jdbi;
  private UUID owner;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);

  @BeforeAll
  void connect(TestStack stack) {
    dataSource = stack.dataSource();
    jdbi = Databases.jdbi(dataSource);
    owner = UUID.randomUUID();
    jdbi.onDemand(AccountDao.class)
        .insert(owner, "batch-" + owner + "@example.com", "hash", Role.USER, NOW);
  }

  @AfterAll
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void concurrentReadsOfManyJobsEachGetTheirOwnJobAndInputs() throws Exception {
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      jobs.add(aJob(i % 4));
    }
    UUID missing = UUID.randomUUID();
    Map<UUID, Optional<JobWithInputs>> expected = new HashMap<>();
    for (UUID id : jobs) {
      expected.put(id, JobReads.findWithInputs(dataSource, id));
    }
    for (int i = 0; i < jobs.size(); i++) {
      assertThat(expected.get(jobs.get(i)).orElseThrow().inputs())
          .extracting(JobInput::position)
          .containsExactlyElementsOf(IntStream.range(0, i % 4).boxed().toList());
    }
    expected.put(missing, Optional.empty());
    JobReadBatcher batcher = new JobReadBatcher(dataSource, 1, 16);

    List<Future<List<String>>> readers = new ArrayList<>();
    for (int reader = 0; reader < 16; reader++) {
      List<UUID> order = new ArrayList<>(expected.keySet());
      Collections.shuffle(order);
      readers.add(
          threads.submit(
              () -> {
                List<String> wrong = new ArrayList<>();
                for (int pass = 0; pass < 2; pass++) {
                  for (UUID id : order) {
                    Optional<JobWithInputs> batched = batcher.find(id);
                    if (!batched.equals(expected.get(id))) {
                      wrong.add(id + ": " + batched + " instead of " + expected.get(id));
                    }
                  }
                }
                return wrong;
              }));
    }
    for (Future<List<String>> reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isEmpty();
    }
    JobReadBatcher.Counts counts = batcher.counts();
    assertThat(counts.requests()).isEqualTo(16L * 2 * 31);
    assertThat(batcher.findForOwner(jobs.get(0), owner)).isPresent();
    assertThat(batcher.findForOwner(jobs.get(0), UUID.randomUUID())).isEmpty();
  }

  @Test
  void requestsThatArriveDuringAReadShareTheNextRoundTrip() throws Exception {
    List<UUID> jobs = IntStream.range(0, 5).mapToObj(i -> aJob(i)).toList();
    GatedDataSource gated = new GatedDataSource(dataSource);
    JobReadBatcher batcher = new JobReadBatcher(gated, 1, 64);

    Future<Optional<JobWithInputs>> first = threads.submit(() -> batcher.find(jobs.get(0)));
    assertThat(gated.entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Optional<JobWithInputs>>> rest = new ArrayList<>();
    for (UUID id : jobs.subList(1, 5)) {
      rest.add(threads.submit(() -> batcher.find(id)));
    }
    awaitWaiting(batcher, 4);
    gated.open.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS).orElseThrow().job().id()).isEqualTo(jobs.get(0));
    for (int i = 0; i < rest.size(); i++) {
      JobWithInputs read = rest.get(i).get(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(read.job().id()).isEqualTo(jobs.get(i + 1));
      assertThat(read.inputs()).hasSize(i + 1);
    }
    assertThat(batcher.counts()).isEqualTo(new JobReadBatcher.Counts(2, 5));
  }

  @Test
  void aFailedReadFailsEveryRequestInItsBatchAndTheNextReadWorks() throws Exception {
    UUID job = aJob(1);
    GatedDataSource gated = new GatedDataSource(dataSource);
    gated.failing = true;
    JobReadBatcher batcher = new JobReadBatcher(gated, 1, 64);

    Future<Optional<JobWithInputs>> first = threads.submit(() -> batcher.find(job));
    assertThat(gated.entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<Optional<JobWithInputs>>> batched = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batched.add(threads.submit(() -> batcher.find(job)));
    }
    awaitWaiting(batcher, 3);
    gated.open.countDown();

    for (Future<Optional<JobWithInputs>> request : batched) {
      assertThatThrownBy(() -> request.get(10, TimeUnit.SECONDS))
          .hasRootCauseMessage("the database is unreachable")
          .hasMessageContaining("could not read job " + job);
    }
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
        .hasRootCauseMessage("the database is unreachable");
    gated.failing = false;
    assertThat(batcher.find(job)).isPresent();
  }

  private static void awaitWaiting(JobReadBatcher batcher, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.waiting() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(batcher.waiting()).isEqualTo(expected);
  }

  private UUID aJob(int inputs) {
    List<UUID> files = new ArrayList<>();
    FileDao fileDao = jdbi.onDemand(FileDao.class);
    for (int i = 0; i < inputs; i++) {
      UUID file = UUID.randomUUID();
      fileDao.insert(
          new StoredFile(
              file,
              owner,
              "in-" + i + ".csv",
              "b",
              owner + "/" + file + "/in.csv",
              10,
              "etag",
              FileState.READY,
              NOW,
              NOW,
              NOW.plus(30, ChronoUnit.DAYS)));
      files.add(file);
    }
    UUID id = UUID.randomUUID();
    Job job =
        Job.submitted(id, owner, "parse", null, "{\"inputs\": " + inputs + "}", inputs, null, NOW);
    jdbi.useTransaction(handle -> JobWrites.insertSubmitted(handle, job, files));
    return id;
  }

  /**
   * The stack's data source with its first connection held back until {@link #open} opens, so a
   * test can line requests up behind a read in flight; when {@link #failing}, that connection
   * fails.
   */
  private static final class GatedDataSource implements DataSource {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch open = new CountDownLatch(1);
    volatile boolean failing;
    private final DataSource delegate;

    GatedDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      entered.countDown();
      try {
        open.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted", e);
      }
      if (failing) {
        throw new SQLException("the database is unreachable");
      }
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return delegate.isWrapperFor(type);
    }
  }
}
