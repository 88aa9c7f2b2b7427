package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code tracing.otlpEndpoint} set, a submission continues the caller's trace: the job records
 * the API's server span, a child of the caller's {@code traceparent}, for the scheduler to
 * continue; and the spans reach the collector over OTLP/HTTP.
 */
@ExtendWith(KilnStackExtension.class)
class TracingIT {
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String CALLER_SPAN_ID = "eee19b7ec3c1b174";
  private static final AtomicInteger EXPORTS = new AtomicInteger();
  private static HttpServer collector;
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          EXPORTS.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config(
                "tracing.otlpEndpoint", "http://127.0.0.1:" + collector.getAddress().getPort()));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (collector != null) {
      collector.stop(0);
    }
  }

  @Test
  void aSubmittedJobRecordsTheRequestsSpanInTheCallersTrace() throws Exception {
    String token = api.newUser();
    String file = new Fixtures(api).readyFile(token);

    ApiHarness.Answer submitted =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            api.toJson(Map.of("processor", "parse", "inputs", List.of(file))),
            Map.of(Tracing.TRACEPARENT, "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01"));

    assertThat(submitted.status()).isEqualTo(202);
    String recorded = traceOf(UUID.fromString(submitted.text("id")));
    assertThat(recorded).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
    assertThat(recorded).doesNotContain(CALLER_SPAN_ID);
    await().atMost(Duration.ofSeconds(20)).until(() -> EXPORTS.get() > 0);
  }

  private static String traceOf(UUID job) throws Exception {
    try (Connection connection = api.stack().dataSource().getConnection();
        PreparedStatement select =
            connection.prepareStatement("select trace_parent from job_traces where job_id = ?")) {
      select.setObject(1, job);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).as("a trace recorded for job %s", job).isTrue();
        return rows.getString(1);
      }
    }
  }
}
