package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.protocol.fleet.FleetDecisionStore;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The scheduler's CloudWatch publisher, as the AWS SDK sends it: a small HTTP server in the test
 * stands in for CloudWatch (moto does not speak the SDK's CBOR protocol), records each request and
 * decodes its body.
 */
@ExtendWith(KilnStackExtension.class)
class CloudWatchPublisherIT {
  private static final int MAX_AGENTS = 4;
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xA0};
  private static RedissonClient redisson;

  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private CloudWatchClient client;
  private FleetDecisionStore decisions;
  private CloudWatchPublisher publisher;

  /** One request as CloudWatch received it. */
  private record Recorded(String method, String path, String contentType, JsonNode body) {}

  @BeforeAll
  static void connect(TestStack stack) {
    redisson = RedisClients.create(stack.redisUri(), 2);
  }

  @AfterAll
  static void disconnect() {
    redisson.shutdown();
  }

  @BeforeEach
  void startCloudWatch() throws IOException {
    redisson.getKeys().flushall();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
          }
          requests.add(
              new Recorded(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body.length == 0 ? null : new CBORMapper().readTree(body)));
          exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
          exchange.getResponseHeaders().add("Content-Type", "application/cbor");
          exchange.sendResponseHeaders(200, EMPTY_CBOR_MAP.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(EMPTY_CBOR_MAP);
          }
        });
    server.start();
    CloudWatchFactory factory = new CloudWatchFactory();
    factory.setEnabled(true);
    factory.setEstate("kiln-test");
    factory.setEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    factory.setAccessKey("test");
    factory.setSecretKey("test");
    client = factory.client();
    decisions = new FleetDecisionStore(redisson);
    publisher =
        new CloudWatchPublisher(
            client, decisions, "kiln-test", MAX_AGENTS, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stopCloudWatch() {
    client.close();
    server.stop(0);
  }

  private static FleetDecision decision(int desired, boolean budgetCapped, long queued) {
    return new FleetDecision(
        desired, desired, "test", budgetCapped, 12.5, null, NOW, "test fleet", queued, 2, 10.0);
  }

  private JsonNode onlyDatum() {
    assertThat(requests).hasSize(1);
    Recorded request = requests.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).endsWith("/operation/PutMetricData");
    assertThat(request.body().path("Namespace").asText()).isEqualTo(CloudWatchMetrics.NAMESPACE);
    JsonNode data = request.body().path("MetricData");
    assertThat(data).hasSize(1);
    return data.get(0);
  }

  @Test
  void shardsWaitingAtTheMaximumFleetArePublishedForTheEstate() {
    decisions.publish(decision(MAX_AGENTS, false, 7));

    publisher.publish();

    JsonNode datum = onlyDatum();
    assertThat(datum.path("MetricName").asText())
        .isEqualTo(CloudWatchMetrics.QUEUED_SHARDS_AT_MAX_FLEET);
    assertThat(datum.path("Value").asDouble()).isEqualTo(7.0);
    assertThat(datum.path("Unit").asText()).isEqualTo("Count");
    assertThat(datum.path("Dimensions").get(0).path("Name").asText())
        .isEqualTo(CloudWatchMetrics.ESTATE);
    assertThat(datum.path("Dimensions").get(0).path("Value").asText()).isEqualTo("kiln-test");
    assertThat(datum.path("Timestamp").asDouble()).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void aBudgetThatStopsScalingCountsAsTheMaximum() {
    decisions.publish(decision(1, true, 5));

    publisher.publish();

    assertThat(onlyDatum().path("Value").asDouble()).isEqualTo(5.0);
  }

  @Test
  void aFleetThatCanStillGrowPublishesZero() {
    decisions.publish(decision(MAX_AGENTS - 1, false, 9));

    publisher.publish();

    assertThat(onlyDatum().path("Value").asDouble()).isZero();
  }

  @Test
  void noDecisionYetPublishesZero() {
    publisher.publish();

    assertThat(onlyDatum().path("Value").asDouble()).isZero();
  }
}
