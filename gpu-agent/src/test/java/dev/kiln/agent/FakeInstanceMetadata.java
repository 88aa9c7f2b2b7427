package dev.kiln.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An IMDSv2 look-alike on 127.0.0.1: {@code PUT /latest/api/token} hands out a token, and {@code
 * GET /latest/meta-data/...} answers only with it (401 without), 404 for what is not set.
 */
final class FakeInstanceMetadata implements AutoCloseable {
  private final HttpServer server;
  private final String token = UUID.randomUUID().toString();
  private final Map<String, String> items = new ConcurrentHashMap<>();
  final AtomicInteger unauthorised = new AtomicInteger();
  final AtomicInteger tokensIssued = new AtomicInteger();

  FakeInstanceMetadata() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/latest/api/token", this::token);
    server.createContext("/latest/meta-data/", this::metadata);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  FakeInstanceMetadata set(String path, String value) {
    items.put(path, value);
    return this;
  }

  private void token(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("PUT")
        || exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
      respond(exchange, 400, "");
      return;
    }
    tokensIssued.incrementAndGet();
    respond(exchange, 200, token);
  }

  private void metadata(HttpExchange exchange) throws IOException {
    if (!token.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
      unauthorised.incrementAndGet();
      respond(exchange, 401, "");
      return;
    }
    String path = exchange.getRequestURI().getPath().substring("/latest/meta-data/".length());
    String value = items.get(path);
    respond(exchange, value == null ? 404 : 200, value == null ? "" : value);
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
