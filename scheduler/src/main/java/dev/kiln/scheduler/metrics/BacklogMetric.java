package dev.kiln.scheduler.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code Kiln/QueuedShardsAtMaxFleet} (dimension {@code Estate}): the shards waiting
 * while the fleet is at its maximum or the budget stops it growing, 0 otherwise. The backlog alarm
 * of {@code terraform/modules/monitoring} watches it. Sent as CloudWatch embedded metric format to
 * the CloudWatch agent's EMF listener (UDP, {@code 127.0.0.1:25888} on the AMIs), which turns it
 * into the metric; no AWS SDK and no credentials in the scheduler. A datagram that cannot be sent
 * is logged once and skipped. Thread-safe.
 */
public final class BacklogMetric implements LongConsumer, AutoCloseable {
  public static final String NAMESPACE = "Kiln";
  public static final String NAME = "QueuedShardsAtMaxFleet";

  private static final Logger LOG = LoggerFactory.getLogger(BacklogMetric.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InetSocketAddress agent;
  private final String estate;
  private final String logGroup;
  private final Clock clock;
  private final DatagramSocket socket;
  private volatile boolean warned;

  /**
   * @param agent the CloudWatch agent's EMF listener
   * @param estate the value of the {@code Estate} dimension
   * @param logGroup where the agent writes the event (one the instance role may write to)
   */
  public BacklogMetric(InetSocketAddress agent, String estate, String logGroup, Clock clock)
      throws IOException {
    this.agent = agent;
    this.estate = estate;
    this.logGroup = logGroup;
    this.clock = clock;
    this.socket = new DatagramSocket();
  }

  /** The EMF event for one value. */
  String event(long queuedAtMaxFleet) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", clock.millis());
    aws.put("LogGroupName", logGroup);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add("Estate");
    ObjectNode metric = directive.putArray("Metrics").addObject();
    metric.put("Name", NAME);
    metric.put("Unit", "Count");
    root.put("Estate", estate);
    root.put(NAME, queuedAtMaxFleet);
    return root.toString();
  }

  @Override
  public void accept(long queuedAtMaxFleet) {
    byte[] bytes = event(queuedAtMaxFleet).getBytes(StandardCharsets.UTF_8);
    try {
      socket.send(new DatagramPacket(bytes, bytes.length, agent));
      warned = false;
    } catch (IOException e) {
      if (!warned) {
        LOG.warn("Cannot send {} to the CloudWatch agent at {}: {}", NAME, agent, e.getMessage());
        warned = true;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
