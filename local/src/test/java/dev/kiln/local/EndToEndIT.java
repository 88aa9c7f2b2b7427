package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.db.AccountDao;
import dev.kiln.db.Databases;
import dev.kiln.db.spend.SpendDao;
import dev.kiln.model.JobParams;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.redis.RedisClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.redisson.api.RedissonClient;

/**
 * The path a newcomer sees with {@code ./kiln demo}, at small size: real PostgreSQL, Redis and S3,
 * the API and the scheduler, and two agent processes started by the scheduler's local fleet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {
  private Path dataDir;
  private LocalPlatform platform;
  private List<Long> agentPids;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dataDir = tempDir;
    platform = LocalPlatform.start(TestSettings.withAgents(dataDir, 2));
    agentPids = platform.fleet().pids();
  }

  @AfterAll
  void stop() {
    platform.close();
    assertThat(agentPids).hasSize(2);
    assertThat(agentPids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("agent %d still alive", pid)
                    .isFalse());
  }

  @Test
  void theDemoModelLabelsEveryRecordInInputOrder() throws Exception {
    String printed = runDemo("tf", 2_000_000, "tf-savedmodel");

    assertThat(printed).contains("SUCCEEDED: 16 shards").contains(", 0 out of place or missing");
  }

  @Test
  void theParseProcessorKeepsEveryRecordInOrder() throws Exception {
    assertThat(runDemo("parse", 1_500_000, "parse")).contains(", 0 out of place or missing");
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardNameIsExported() throws Exception {
    runDemo("metrics", 200_000, "parse");

    Set<String> exported = new TreeSet<>();
    exported.addAll(MetricNames.exported(scrape(platform.adminUrl())));
    exported.addAll(MetricNames.exported(scrape(platform.schedulerAdminUrl())));
    Path monitoring = Path.of("..", "infra", "monitoring");
    Set<String> named = new TreeSet<>();
    named.addAll(MetricNames.named(Files.readString(monitoring.resolve("prometheus-rules.yml"))));
    named.addAll(MetricNames.named(Files.readString(monitoring.resolve("grafana-dashboard.json"))));

    assertThat(named).hasSizeGreaterThan(10);
    assertThat(exported).containsAll(named);
  }

  /** Runs the demo over {@code bytes} of input in its own directory; answers what it printed. */
  private String runDemo(String dir, long bytes, String processor) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Demo demo =
        new Demo(
            platform,
            dataDir.resolve(dir),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            false);
    boolean passed = demo.run(bytes, processor, Duration.ofMinutes(5));
    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(passed).as(printed).isTrue();
    return printed;
  }

  private static String scrape(URI admin) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(admin.resolve("/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    return response.body();
  }

  @Test
  void badInputOnThePathGetsProblemDetails() throws Exception {
    KilnClient owner = platform.client();
    KilnClient stranger = new KilnClient(platform.apiUrl());
    stranger.signup("stranger-" + UUID.randomUUID() + "@example.com", "a long enough password 1");
    Path empty = Files.createFile(dataDir.resolve("empty.csv"));
    Path small = Files.writeString(dataDir.resolve("small.csv"), "id,x\n1,2\n");
    FileView mine = owner.upload(small);

    assertThatThrownBy(() -> owner.upload(empty)).hasMessageContaining("empty");
    assertProblem(() -> owner.submit(job(UUID.randomUUID()), null), 404, null);
    assertProblem(() -> stranger.submit(job(mine.id()), null), 404, null);
    assertProblem(() -> stranger.file(mine.id()), 404, null);
  }

  @Test
  void anAccountAtItsMonthlyBudgetIsRefusedWithWhatToDo() throws Exception {
    KilnClient owner = platform.client();
    FileView input = owner.upload(Files.writeString(dataDir.resolve("budget.csv"), "id,x\n1,2\n"));
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(platform.stack().postgres().jdbcUrl());
    dataSource.setUser(platform.stack().postgres().user());
    dataSource.setPassword(platform.stack().postgres().password());
    Jdbi jdbi = Databases.jdbi(dataSource);
    UUID accountId =
        jdbi.onDemand(AccountDao.class).findByEmail(platform.account().email()).orElseThrow().id();
    SpendDao spend = jdbi.onDemand(SpendDao.class);

    spend.setMonthlyBudget(accountId, BigDecimal.ZERO);
    try {
      // The other tests of this class may have spent a cent of agent time already.
      assertThatThrownBy(() -> owner.submit(job(input.id()), null))
          .isInstanceOfSatisfying(
              KilnApiException.class,
              e -> {
                assertThat(e.status()).as(e.getMessage()).isEqualTo(402);
                assertThat(e.getMessage())
                    .containsPattern(
                        "Monthly budget of \\$0\\.00 reached \\(\\$\\d+\\.\\d\\d spent\\); ask an"
                            + " admin to raise it\\.");
              });
    } finally {
      spend.setMonthlyBudget(accountId, null);
    }
    assertThat(owner.submit(job(input.id()), null).id()).isNotNull();
  }

  @Test
  void theAutoscalerPublishesItsDecisionForTheConsole() {
    RedissonClient redis = RedisClients.create(platform.stack().redisUri(), 2);
    try {
      FleetDecisionStore decisions = new FleetDecisionStore(redis);
      await().atMost(Duration.ofSeconds(30)).until(() -> decisions.latest().isPresent());
      FleetDecision decision = decisions.latest().orElseThrow();
      assertThat(decision.fleet()).isEqualTo("local agent processes");
      assertThat(decision.desired()).isBetween(2, 2);
      assertThat(decision.reason()).isNotBlank();
    } finally {
      redis.shutdown();
    }
  }

  private static JobCreateRequest job(UUID input) {
    return new JobCreateRequest("parse", List.of(input), null, JobParams.DEFAULTS, 0);
  }

  private static void assertProblem(Runnable call, int status, String detailWord) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KilnApiException.class,
            e -> {
              assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
              if (detailWord != null) {
                assertThat(e.getMessage()).containsIgnoringCase(detailWord);
              }
            });
  }
}
