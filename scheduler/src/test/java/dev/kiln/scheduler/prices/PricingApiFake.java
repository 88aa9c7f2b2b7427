package dev.kiln.scheduler.prices;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The AWS Pricing API on loopback, as moto has none: every {@code GetProducts} call gets the answer
 * set last, by default a recorded answer for g4dn.xlarge in us-east-1 (beside this class). Keeps
 * the last request's {@code X-Amz-Target} and body. Thread-safe.
 */
final class PricingApiFake implements AutoCloseable {
  static final String RECORDED = "get-products-g4dn.xlarge-us-east-1.json";

  private final HttpServer server;
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private final AtomicReference<String> target = new AtomicReference<>();
  private final AtomicReference<String> body = new AtomicReference<>();

  /** What the fake answers: an HTTP status and a JSON body. */
  record Answer(int status, String body) {}

  PricingApiFake() {
    answer.set(new Answer(200, recorded()));
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          target.set(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          Answer current = answer.get();
          byte[] bytes = current.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(current.status(), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void answer(int status, String json) {
    answer.set(new Answer(status, json));
  }

  void answerRecorded() {
    answer.set(new Answer(200, recorded()));
  }

  String lastTarget() {
    return target.get();
  }

  String lastBody() {
    return body.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static String recorded() {
    try (InputStream in = PricingApiFake.class.getResourceAsStream(RECORDED)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
