package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.JobTraces;
import dev.kiln.model.JobState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The planner continues the trace a job was submitted in: its span is the child of the API's, and
 * every shard task it enqueues carries the planning span's context to the agent.
 */
@ExtendWith(KilnStackExtension.class)
class SchedulerTracingIT {
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String REQUEST_SPAN_ID = "b7ad6b7169203331";
  private static StackClients clients;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void theShardTasksCarryThePlanningSpanOfTheSubmittedTrace() {
    Jdbi jdbi = clients.jdbi();
    ObjectStore store = clients.store();
    Fixtures fixtures = new Fixtures(jdbi, store);
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exported))
                    .build())
            .build();
    UUID owner = fixtures.account();
    StringBuilder rows = new StringBuilder("id,name\n");
    for (int i = 0; i < 20_000; i++) {
      rows.append(i).append(",row-").append(i).append('\n');
    }
    StoredFile input = fixtures.upload(owner, "traced.csv", rows.toString());
    UUID jobId =
        fixtures.submit(owner, TestAgent.PROCESSOR, "{\"shardBytes\": 65536}", 0, List.of(input));
    jdbi.useHandle(
        handle ->
            JobTraces.record(handle, jobId, "00-" + TRACE_ID + "-" + REQUEST_SPAN_ID + "-01"));

    List<Lease> leased = new ArrayList<>();
    try (Scheduler scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            store,
            SchedulerSettings.defaults("traced-" + UUID.randomUUID()),
            Clock.systemUTC(),
            new MetricRegistry(),
            SchedulerMetrics.registeredIn(new PrometheusRegistry()),
            Tracing.with(sdk, sdk::close))) {
      scheduler.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.leadership().isLeader());
      clients.redisson().getTopic(RedisKeys.JOBS_SUBMITTED).publish(jobId.toString());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fixtures.job(jobId).state() != JobState.SUBMITTED);
      assertThat(fixtures.job(jobId).state())
          .as(String.valueOf(fixtures.job(jobId).failureReason()))
          .isEqualTo(JobState.RUNNING);
      int shards = fixtures.job(jobId).shardsTotal();
      assertThat(shards).isGreaterThan(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                leased.addAll(
                    scheduler
                        .queue()
                        .lease(
                            "tracing-it", Set.of(TestAgent.PROCESSOR), 64, Duration.ofMinutes(1)));
                return leased.size() == shards;
              });
    }

    SpanData plan =
        exported.getFinishedSpanItems().stream()
            .filter(span -> span.getName().equals("plan job"))
            .findFirst()
            .orElseThrow();
    assertThat(plan.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(plan.getParentSpanId()).isEqualTo(REQUEST_SPAN_ID);
    assertThat(leased)
        .allSatisfy(
            lease ->
                assertThat(lease.task().traceParent())
                    .isEqualTo("00-" + TRACE_ID + "-" + plan.getSpanId() + "-01"));
  }
}
