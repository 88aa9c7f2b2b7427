package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.Databases;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.model.Job;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.CuttableProxy;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's PostgreSQL goes away for 20 s in the middle of a running job (a proxy in front of
 * it drops every connection and refuses new ones): the scheduler writes fewer than 20 log lines,
 * stack traces counted, not some per tick, and once PostgreSQL is back the job succeeds with every
 * record exactly once.
 */
@ExtendWith(KilnStackExtension.class)
class DatabaseOutageIT {
  private static final int ROWS = 120_000;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private final List<TestAgent> agents = new ArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final AppenderBase<ILoggingEvent> capture =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          if (event.getLoggerName().startsWith(TestAgent.class.getName())) {
            return;
          }
          // Each line the console would show, stack traces included.
          logged.add(
              event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
          if (event.getThrowableProxy() != null) {
            ThrowableProxyUtil.asString(event.getThrowableProxy()).lines().forEach(logged::add);
          }
        }
      };
  private StackClients clients;
  private CuttableProxy database;
  private Scheduler scheduler;

  @AfterEach
  void stop() throws Exception {
    root.detachAppender(capture);
    agents.forEach(TestAgent::close);
    if (scheduler != null) {
      scheduler.close();
    }
    if (database != null) {
      database.close();
    }
    clients.close();
  }

  @Test
  void aTwentySecondOutageIsLoggedBrieflyAndTheJobFinishesWithEveryRecordOnce(TestStack stack)
      throws Exception {
    clients = new StackClients(stack);
    Jdbi direct = clients.jdbi();
    ObjectStore store = clients.store();
    Fixtures fixtures = new Fixtures(direct, store);
    URI jdbc = URI.create(stack.jdbcUrl().substring("jdbc:".length()));
    database = new CuttableProxy(jdbc.getHost(), jdbc.getPort());
    PGSimpleDataSource viaProxy = new PGSimpleDataSource();
    viaProxy.setUrl(
        stack.jdbcUrl().replace(":" + jdbc.getPort() + "/", ":" + database.port() + "/"));
    viaProxy.setUser(stack.dbUser());
    viaProxy.setPassword(stack.dbPassword());
    viaProxy.setConnectTimeout(2);
    viaProxy.setSocketTimeout(10);
    scheduler =
        new Scheduler(
            Databases.jdbi(viaProxy),
            clients.redisson(),
            store,
            SchedulerSettings.defaults("outage-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry());
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());

    UUID owner = fixtures.account();
    String content = csv(ROWS);
    StoredFile input = fixtures.upload(owner, "in.csv", content);
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fixtures.job(jobId).shardsTotal() > 0 || fixtures.job(jobId).state().isTerminal());
    Job planned = fixtures.job(jobId);
    assertThat(planned.state())
        .as(String.valueOf(planned.failureReason()))
        .isEqualTo(JobState.RUNNING);
    int shards = fixtures.job(jobId).shardsTotal();
    for (String id : List.of("outage-agent-1", "outage-agent-2")) {
      agents.add(
          new TestAgent(
                  id,
                  scheduler.queue(),
                  store,
                  1,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(1),
                  lease -> sleep(Duration.ofMillis(800)))
              .start());
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> fixtures.job(jobId).shardsDone() >= 2);

    root.addAppender(capture);
    capture.start();
    database.cut(true);
    sleep(OUTAGE);
    capture.stop();
    root.detachAppender(capture);
    assertThat(fixtures.job(jobId).state())
        .as("the job was still running when PostgreSQL went away")
        .isEqualTo(JobState.RUNNING);
    database.cut(false);

    assertThat(logged).as(String.join("\n", logged)).hasSizeLessThan(20);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fixtures.job(jobId).state().isTerminal());
    Job job = fixtures.job(jobId);
    assertThat(job.state()).as(String.valueOf(job.failureReason())).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.records()).isEqualTo(ROWS);
    assertThat(job.shardsDone()).isEqualTo(shards);
    StoredFile output =
        direct
            .onDemand(FileDao.class)
            .findForOwner(direct.onDemand(JobDao.class).inputs(jobId).get(0).outputFileId(), owner)
            .orElseThrow();
    try (InputStream in = store.open(output.bucket(), output.objectKey())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(content.substring("id,name\n".length()).toUpperCase(Locale.ROOT));
    }
  }

  private static String csv(int rows) {
    return "id,name\n"
        + IntStream.range(0, rows)
            .mapToObj(i -> i + ",row-" + i)
            .collect(Collectors.joining("\n", "", "\n"));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
