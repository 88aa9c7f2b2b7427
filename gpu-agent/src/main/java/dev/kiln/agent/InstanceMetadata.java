package dev.kiln.agent;

import dev.kiln.agent.drain.DrainSignals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of the EC2 instance metadata service, version 2 only: a session token from {@code PUT
 * /latest/api/token}, then {@code GET /latest/meta-data/...} with it. The endpoint is configurable
 * so tests serve it from loopback. Thread-safe.
 */
public final class InstanceMetadata implements DrainSignals.Metadata {
  private static final Duration TOKEN_TTL = Duration.ofHours(6);

  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;
  private String token;
  private long tokenExpiresNanos;

  public InstanceMetadata(URI endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /**
   * The value at {@code /latest/meta-data/{path}}, or empty when the service answers 404 (no such
   * item, as for an instance-action before any notice).
   *
   * @throws IOException when the service cannot be reached or refuses
   */
  @Override
  public Optional<String> get(String path) throws IOException {
    HttpResponse<String> response = send(path, token());
    if (response.statusCode() == 401) {
      synchronized (this) {
        token = null;
      }
      response = send(path, token());
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "instance metadata " + path + " answered HTTP " + response.statusCode());
    }
    return Optional.of(response.body());
  }

  private HttpResponse<String> send(String path, String sessionToken) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/latest/meta-data/" + path))
            .timeout(timeout)
            .header("X-aws-ec2-metadata-token", sessionToken)
            .GET()
            .build();
    return exchange(request);
  }

  private synchronized String token() throws IOException {
    if (token != null && System.nanoTime() < tokenExpiresNanos) {
      return token;
    }
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/latest/api/token"))
            .timeout(timeout)
            .header("X-aws-ec2-metadata-token-ttl-seconds", String.valueOf(TOKEN_TTL.toSeconds()))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = exchange(request);
    if (response.statusCode() != 200) {
      throw new IOException("instance metadata token answered HTTP " + response.statusCode());
    }
    token = response.body().strip();
    tokenExpiresNanos = System.nanoTime() + TOKEN_TTL.minusMinutes(5).toNanos();
    return token;
  }

  private HttpResponse<String> exchange(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the instance metadata service", e);
    }
  }
}
