package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The backlog metric as the CloudWatch agent's EMF listener receives it. */
class BacklogMetricTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void sendsOneEmbeddedMetricFormatEventPerValue() throws Exception {
    try (DatagramSocket agent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        BacklogMetric metric =
            new BacklogMetric(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.getLocalPort()),
                "kiln-dev",
                "/kiln-dev/web",
                CLOCK)) {
      agent.setSoTimeout(5000);

      metric.accept(42);

      DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
      agent.receive(packet);
      JsonNode event =
          new ObjectMapper()
              .readTree(
                  new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
      assertThat(event.get("QueuedShardsAtMaxFleet").asLong()).isEqualTo(42);
      assertThat(event.get("Estate").asText()).isEqualTo("kiln-dev");
      JsonNode aws = event.get("_aws");
      assertThat(aws.get("Timestamp").asLong()).isEqualTo(CLOCK.millis());
      assertThat(aws.get("LogGroupName").asText()).isEqualTo("/kiln-dev/web");
      JsonNode directive = aws.get("CloudWatchMetrics").get(0);
      assertThat(directive.get("Namespace").asText()).isEqualTo("Kiln");
      assertThat(directive.get("Dimensions").get(0).get(0).asText()).isEqualTo("Estate");
      assertThat(directive.get("Metrics").get(0).get("Name").asText())
          .isEqualTo("QueuedShardsAtMaxFleet");
    }
  }

  @Test
  void aMissingAgentDoesNotStopTheScheduler() throws Exception {
    try (BacklogMetric metric =
        new BacklogMetric(
            new InetSocketAddress("127.0.0.1", 9), "kiln-dev", "/kiln-dev/web", CLOCK)) {
      metric.accept(1);
      metric.accept(2);
    }
  }
}
