package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.protocol.queue.QueueEvent;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * The trace context a shard task carries reaches the agent: each shard's span, exported through the
 * OpenTelemetry SDK to an in-memory exporter, is a child of the span that planned it, in its trace.
 */
@ExtendWith(KilnStackExtension.class)
class AgentTracingIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PLAN_SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACE_PARENT = "00-" + TRACE_ID + "-" + PLAN_SPAN_ID + "-01";
  private static RedissonClient redisson;

  private final AgentHarness harness;

  AgentTracingIT(TestStack stack) {
    this.harness = new AgentHarness(stack);
  }

  @BeforeAll
  static void connect(TestStack stack) {
    redisson = RedisClients.create(stack.redisUri(), 4);
  }

  @AfterAll
  static void disconnect() {
    redisson.shutdown();
  }

  @Test
  void eachShardSpanJoinsTheTraceItsTaskCarries() {
    redisson.getKeys().flushall();
    RedisWorkQueue queue = new RedisWorkQueue(redisson, Clock.systemUTC());
    queue.ensureEpoch(1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
    List<ShardTask> tasks =
        harness
            .job(
                "parse",
                harness.upload("traced.txt", input),
                input.length,
                65_536,
                "TEXT",
                null,
                null,
                Map.of())
            .stream()
            .map(task -> task.withTraceParent(TRACE_PARENT))
            .toList();
    assertThat(tasks.size()).isGreaterThan(1);
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    List<QueueEvent> events = new ArrayList<>();
    try (Agent agent =
        new Agent(
            harness.config("agent-traced", Map.of()),
            queue,
            harness.store,
            AgentHarness.processors(),
            new RedisAgentRegistry(redisson, Duration.ofSeconds(30)),
            AgentHarness.metadata(),
            Clock.systemUTC(),
            AgentMetrics.unscraped(),
            Tracing.with(sdk, sdk::close))) {
      agent.start();
      assertThat(queue.enqueue(tasks)).hasValue(tasks.size());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<QueueEvent> read = queue.readEvents(1000);
                queue.acknowledge(read);
                events.addAll(read);
                return events.size() == tasks.size();
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> exported.getFinishedSpanItems().size() == tasks.size());
    }

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans)
        .allSatisfy(
            span -> {
              assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
              assertThat(span.getParentSpanId()).isEqualTo(PLAN_SPAN_ID);
              assertThat(span.getParentSpanContext().isRemote()).isTrue();
              assertThat(span.getAttributes().get(AttributeKey.stringKey("kiln.job")))
                  .isEqualTo(tasks.get(0).jobId().toString());
              assertThat(span.getAttributes().get(AttributeKey.stringKey("kiln.outcome")))
                  .isEqualTo(ShardWorker.Outcome.COMPLETED.name());
            });
    assertThat(spans)
        .extracting(span -> span.getAttributes().get(AttributeKey.longKey("kiln.shard")))
        .containsExactlyInAnyOrderElementsOf(
            tasks.stream().map(task -> (long) task.idx()).toList());
  }
}
