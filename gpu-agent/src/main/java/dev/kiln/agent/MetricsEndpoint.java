package dev.kiln.agent;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's admin port: its metrics in the Prometheus text format at {@code /metrics}, served by
 * the Prometheus client's own small HTTP server. Off unless {@code KILN_AGENT_METRICS_PORT} is set
 * (several local agents share one machine); bound to {@code KILN_AGENT_METRICS_ADDRESS}, loopback
 * by default. Thread-safe.
 */
public final class MetricsEndpoint implements AutoCloseable {
  static final String PORT = "KILN_AGENT_METRICS_PORT";
  static final String ADDRESS = "KILN_AGENT_METRICS_ADDRESS";

  /** Where to serve: an address and a port (0 picks a free one). */
  public record Settings(String address, int port) {
    /** The settings in {@code env}, or empty when the endpoint is off. */
    public static Optional<Settings> fromEnvironment(Map<String, String> env) {
      String port = env.get(PORT);
      if (port == null || port.isBlank()) {
        return Optional.empty();
      }
      int number;
      try {
        number = Integer.parseInt(port.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PORT + " must be a port number, not '" + port + "'");
      }
      if (number < 0 || number > 65_535) {
        throw new IllegalArgumentException(PORT + " must be 0..65535, not " + number);
      }
      return Optional.of(new Settings(env.getOrDefault(ADDRESS, "127.0.0.1"), number));
    }
  }

  private final HTTPServer server;

  private MetricsEndpoint(HTTPServer server) {
    this.server = server;
  }

  /** Serves {@code registry} as {@code settings} say. */
  public static MetricsEndpoint start(Settings settings, PrometheusRegistry registry) {
    try {
      return new MetricsEndpoint(
          HTTPServer.builder()
              .hostname(settings.address())
              .port(settings.port())
              .registry(registry)
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "The metrics endpoint cannot listen on " + settings.address() + ":" + settings.port(), e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
