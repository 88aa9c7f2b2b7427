package dev.kiln.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.FileState;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Role;
import dev.kiln.model.Shard;
import dev.kiln.model.ShardState;
import dev.kiln.model.StoredFile;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KilnStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreDaoIT {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private DataSource dataSource;
  private Jdbi jdbi;

  @BeforeAll
  void connect(TestStack stack) {
    dataSource = stack.dataSource();
    jdbi = Databases.jdbi(dataSource);
  }

  @Test
  void aJobRoundTripsWithItsInputsShardsAndEvents() {
    UUID owner = anAccount("owner@example.com");
    UUID file = aReadyFile(owner, "in.csv");
    UUID jobId = UUID.randomUUID();
    Job job =
        Job.submitted(jobId, owner, "parse", null, "{\"shardBytes\": \"65536\"}", 3, "key-1", NOW);

    jdbi.useTransaction(handle -> JobWrites.insertSubmitted(handle, job, List.of(file)));
    JobDao jobs = jdbi.onDemand(JobDao.class);
    ShardDao shards = jdbi.onDemand(ShardDao.class);
    shards.insertAll(List.of(aShard(jobId, 0, file, 0, 100), aShard(jobId, 1, file, 100, 180)));

    Job read = jdbi.withHandle(h -> JobReads.findForOwner(h, jobId, owner)).orElseThrow();
    assertThat(read.paramsJson()).contains("shardBytes");
    assertThat(read.priority()).isEqualTo(3);
    assertThat(jobs.findByIdempotencyKey(owner, "key-1")).contains(read);
    Optional<Job> someoneElses =
        jdbi.withHandle(h -> JobReads.findForOwner(h, jobId, UUID.randomUUID()));
    assertThat(someoneElses).isEmpty();
    assertThat(jobs.inputs(jobId)).singleElement().extracting("fileId").isEqualTo(file);
    List<JobInput> inputs = jdbi.withHandle(h -> JobReads.inputs(h, jobId));
    assertThat(inputs).isEqualTo(jobs.inputs(jobId));
    JobReadBatcher polls = new JobReadBatcher(dataSource, 1, 1);
    Optional<JobReads.JobWithInputs> withInputs = polls.findForOwner(jobId, owner);
    assertThat(withInputs)
        .contains(
            new JobReads.JobWithInputs(
                read, List.of(new JobInput(jobId, 0, file, null, null, null))));
    assertThat(polls.findForOwner(jobId, UUID.randomUUID())).isEmpty();
    assertThat(polls.findForOwner(UUID.randomUUID(), owner)).isEmpty();
    assertThat(shards.listForJob(jobId)).extracting(Shard::endOffset).containsExactly(100L, 180L);
    assertThat(shards.countNotDone(jobId)).isEqualTo(2);
    assertThat(jdbi.onDemand(OutboxDao.class).forJobAfter(jobId, 0))
        .singleElement()
        .extracting("type")
        .isEqualTo(OutboxEventType.SUBMITTED);
  }

  @Test
  void aJobReadsWithAllItsInputsInPositionOrderAndTheirOutputs() {
    UUID owner = anAccount("inputs@example.com");
    List<UUID> files =
        List.of(aReadyFile(owner, "c.csv"), aReadyFile(owner, "a.csv"), aReadyFile(owner, "b.csv"));
    UUID output = aReadyFile(owner, "a-out.csv");
    UUID jobId = UUID.randomUUID();
    Job job = Job.submitted(jobId, owner, "parse", null, "{}", 0, null, NOW);
    jdbi.useTransaction(handle -> JobWrites.insertSubmitted(handle, job, files));
    jdbi.onDemand(JobDao.class).setOutputFile(jobId, 1, output);

    JobReads.JobWithInputs read = JobReads.findWithInputs(dataSource, jobId).orElseThrow();

    assertThat(read.job().id()).isEqualTo(jobId);
    assertThat(read.inputs())
        .containsExactly(
            new JobInput(jobId, 0, files.get(0), null, null, null),
            new JobInput(jobId, 1, files.get(1), null, output, null),
            new JobInput(jobId, 2, files.get(2), null, null, null));
  }

  @Test
  void ownershipIsPartOfEveryUserQuery() {
    UUID owner = anAccount("a@example.com");
    UUID stranger = anAccount("b@example.com");
    UUID file = aReadyFile(owner, "mine.csv");

    FileDao files = jdbi.onDemand(FileDao.class);
    assertThat(files.findForOwner(file, owner)).isPresent();
    assertThat(files.findForOwner(file, stranger)).isEmpty();
    Optional<StoredFile> read = jdbi.withHandle(h -> FileReads.findForOwner(h, file, owner));
    assertThat(read).isEqualTo(files.findForOwner(file, owner));
    Optional<StoredFile> strangers =
        jdbi.withHandle(h -> FileReads.findForOwner(h, file, stranger));
    assertThat(strangers).isEmpty();
    assertThat(files.deleteForOwner(file, stranger)).isZero();
    assertThat(files.listForOwner(stranger, null, 10)).isEmpty();
    assertThat(files.listForOwner(owner, null, 10)).hasSize(1);
  }

  @Test
  void transitionsAreConditionalOnTheCurrentState() {
    UUID owner = anAccount("t@example.com");
    UUID jobId = UUID.randomUUID();
    jdbi.onDemand(JobDao.class)
        .insert(Job.submitted(jobId, owner, "parse", null, "{}", 0, null, NOW));
    JobDao jobs = jdbi.onDemand(JobDao.class);

    assertThat(jobs.transition(jobId, Set.of(JobState.SUBMITTED), JobState.RUNNING, null, NOW))
        .isEqualTo(1);
    assertThat(jobs.transition(jobId, Set.of(JobState.SUBMITTED), JobState.RUNNING, null, NOW))
        .isZero();
    assertThat(
            jobs.transition(
                jobId, JobState.sourcesOf(JobState.FAILED), JobState.FAILED, "shard 3: bad", NOW))
        .isEqualTo(1);

    Job failed = jobs.findById(jobId).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.failureReason()).isEqualTo("shard 3: bad");
    assertThat(failed.startedAt()).isEqualTo(NOW);
    assertThat(failed.finishedAt()).isEqualTo(NOW);
    assertThat(jobs.listInStates(Set.of(JobState.FAILED))).extracting(Job::id).contains(jobId);
  }

  private UUID anAccount(String email) {
    UUID id = UUID.randomUUID();
    jdbi.onDemand(AccountDao.class).insert(id, email, "hash", Role.USER, NOW);
    return id;
  }

  private UUID aReadyFile(UUID owner, String name) {
    UUID id = UUID.randomUUID();
    jdbi.onDemand(FileDao.class)
        .insert(
            new StoredFile(
                id,
                owner,
                name,
                "b",
                owner + "/" + id + "/" + name,
                180,
                "etag",
                FileState.READY,
                NOW,
                NOW,
                NOW.plus(30, ChronoUnit.DAYS)));
    return id;
  }

  private static Shard aShard(UUID jobId, int idx, UUID file, long start, long end) {
    return new Shard(
        jobId, idx, 0, file, start, end, ShardState.QUEUED, 0, null, 0, 0, 0, 0, null, NOW);
  }
}
