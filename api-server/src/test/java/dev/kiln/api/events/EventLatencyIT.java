package dev.kiln.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.Fixtures;
import dev.kiln.db.Databases;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * Live progress is pushed: a change the scheduler commits and announces reaches an open stream in
 * milliseconds, a change nobody announces is not polled for, a reconnect with {@code Last-Event-ID}
 * resumes after the event it names, and a job's first event arrives within a second of submission.
 * The changes are made here with the DAO calls and the {@link JobNews} announcement the scheduler's
 * stages use.
 */
@ExtendWith(KilnStackExtension.class)
class EventLatencyIT {
  private static final int SAMPLES = 60;
  private static final Duration GENEROUS_P95 = Duration.ofSeconds(1);
  private static ApiHarness api;
  private static Fixtures fixtures;
  private static Jdbi jdbi;
  private static RedissonClient redis;
  private static JobNews news;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
    jdbi = Databases.jdbi(stack.dataSource());
    redis = RedisClients.create(stack.redisUri(), 2);
    news = new JobNews(redis);
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.shutdown();
    }
    if (api != null) {
      api.close();
    }
  }

  private static URI events(String job) {
    return URI.create(api.base() + "/api/v1/jobs/" + job + "/events");
  }

  @Test
  void aCommittedChangeReachesTheClientWithinMilliseconds() {
    String token = api.newUser();
    UUID job = UUID.fromString(fixtures.submittedJob(token));
    try (OpenStream stream = OpenStream.open(events(job.toString()), token, false)) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> progressAt(stream, 0, 0).isPresent());
      List<Long> millis = new ArrayList<>();

      long changed = commit(job, handle -> run(handle, job));
      long arrived = awaitLine(stream, "event: " + OutboxEventType.RUNNING.wireName(), 0);
      millis.add((arrived - changed) / 1_000_000);
      for (int record = 1; record <= SAMPLES; record++) {
        int from = stream.arrivals().size();
        changed = commit(job, handle -> handle.attach(JobDao.class).addProgress(job, 0, 1, 0, 0.1));
        int expected = record;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> progressAt(stream, from, expected).isPresent());
        millis.add((progressAt(stream, from, expected).orElseThrow() - changed) / 1_000_000);
      }

      Collections.sort(millis);
      long p50 = millis.get(millis.size() / 2);
      long p95 = millis.get((int) Math.ceil(millis.size() * 0.95) - 1);
      System.out.printf(
          "state change to event at the client: %d samples, p50 %d ms, p95 %d ms, max %d ms%n",
          millis.size(), p50, p95, millis.get(millis.size() - 1));
      assertThat(p95).isLessThan(GENEROUS_P95.toMillis());
    }
  }

  @Test
  void aChangeNobodyAnnouncesIsNotPolledFor() throws Exception {
    String token = api.newUser();
    UUID job = UUID.fromString(fixtures.submittedJob(token));
    try (OpenStream stream = OpenStream.open(events(job.toString()), token, false)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> progressAt(stream, 0, 0).isPresent());
      jdbi.useTransaction(handle -> handle.attach(JobDao.class).addProgress(job, 0, 7, 0, 0));

      Thread.sleep(2_500);
      assertThat(progressAt(stream, 0, 7)).as("no stream polls the database").isEmpty();

      news.announce(job);
      await().atMost(Duration.ofSeconds(5)).until(() -> progressAt(stream, 0, 7).isPresent());
    }
  }

  @Test
  void aReconnectWithLastEventIdResumesAfterIt() {
    String token = api.newUser();
    UUID job = UUID.fromString(fixtures.submittedJob(token));
    commit(job, handle -> run(handle, job));
    String submitted = "event: " + OutboxEventType.SUBMITTED.wireName();
    String running = "event: " + OutboxEventType.RUNNING.wireName();
    String submittedId;
    try (OpenStream first = OpenStream.open(events(job.toString()), token, false)) {
      awaitLine(first, running, 0);
      List<String> lines = first.lines();
      submittedId = lines.get(lines.indexOf(submitted) - 1).substring("id: ".length());
    }

    try (OpenStream resumed =
        OpenStream.open(events(job.toString()), token, false, "Last-Event-ID", submittedId)) {
      awaitLine(resumed, running, 0);
      assertThat(resumed.lines()).doesNotContain(submitted);
    }
  }

  @Test
  void aClientSeesTheJobsFirstEventWithinASecondOfSubmission() {
    String token = api.newUser();
    String file = fixtures.readyFile(token);
    long before = System.nanoTime();
    ApiHarness.Answer answer =
        api.post("/api/v1/jobs", token, Map.of("processor", "parse", "inputs", List.of(file)));
    assertThat(answer.status()).isEqualTo(202);
    try (OpenStream stream = OpenStream.open(events(answer.text("id")), token, true)) {
      long first = awaitLine(stream, "event: " + OutboxEventType.SUBMITTED.wireName(), 0);
      long millis = (first - before) / 1_000_000;
      System.out.printf("submission to the first event at the client: %d ms%n", millis);
      assertThat(millis).isLessThan(1_000);
    }
  }

  private interface Change {
    void apply(Handle handle);
  }

  /** Commits the change, announces it as the scheduler does, answers when it was committed. */
  private static long commit(UUID job, Change change) {
    jdbi.useTransaction(change::apply);
    long committed = System.nanoTime();
    news.announce(job);
    return committed;
  }

  private static void run(Handle handle, UUID job) {
    Instant now = Instant.now();
    JobDao jobs = handle.attach(JobDao.class);
    jobs.transition(job, List.of(JobState.SUBMITTED), JobState.RUNNING, null, now);
    handle
        .attach(OutboxDao.class)
        .append(
            job,
            jobs.findById(job).orElseThrow().ownerId(),
            OutboxEventType.RUNNING,
            "{\"shards\":1}",
            now);
  }

  /** When the first line equal to {@code line} from index {@code from} arrived. */
  private static long awaitLine(OpenStream stream, String line, int from) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stream.arrivals().stream().skip(from).anyMatch(a -> a.line().equals(line)));
    return stream.arrivals().stream()
        .skip(from)
        .filter(a -> a.line().equals(line))
        .findFirst()
        .orElseThrow()
        .nanos();
  }

  /** When the progress event saying {@code records} records arrived, from line {@code from}. */
  private static Optional<Long> progressAt(OpenStream stream, int from, long records) {
    List<OpenStream.Arrival> arrivals = stream.arrivals();
    for (int i = Math.max(from, 1); i < arrivals.size(); i++) {
      if (arrivals.get(i - 1).line().equals("event: progress")
          && arrivals.get(i).line().contains("\"records\":" + records + ",")) {
        return Optional.of(arrivals.get(i).nanos());
      }
    }
    return Optional.empty();
  }
}
