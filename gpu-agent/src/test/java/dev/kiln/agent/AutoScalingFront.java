package dev.kiln.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An endpoint in front of moto_server for the Auto Scaling Query API: every call goes on to moto,
 * except {@code CompleteLifecycleAction}, which moto 5.2 does not implement; that one is recorded
 * (its form parameters) and answered as AWS answers it. Every action name is recorded in order.
 */
final class AutoScalingFront implements AutoCloseable {
  private static final Set<String> SKIPPED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "transfer-encoding");

  private final HttpServer server;
  private final URI moto;
  private final HttpClient http = HttpClient.newHttpClient();
  final List<String> actions = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> completions = new CopyOnWriteArrayList<>();

  AutoScalingFront(URI moto) throws IOException {
    this.moto = moto;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
    actions.add(form.getOrDefault("Action", "?"));
    if ("CompleteLifecycleAction".equals(form.get("Action"))) {
      completions.add(form);
      respond(
          exchange,
          200,
          "<CompleteLifecycleActionResponse"
              + " xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
              + "<CompleteLifecycleActionResult/><ResponseMetadata><RequestId>kiln-test</RequestId>"
              + "</ResponseMetadata></CompleteLifecycleActionResponse>");
      return;
    }
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!SKIPPED_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> forward.header(name, value));
              }
            });
    try {
      HttpResponse<String> answer =
          http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
      respond(exchange, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 500, "");
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/xml");
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
