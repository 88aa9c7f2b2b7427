package dev.kiln.scheduler.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A webhook endpoint on loopback for tests: records every request it is sent and answers with the
 * status codes it was told to, then 200. Thread-safe.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  record Received(String id, String timestamp, String signature, String body) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Deque<Integer> answers = new ArrayDeque<>();
  private volatile Duration delay = Duration.ZERO;

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/hook",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            sleep(delay);
            int status;
            synchronized (this) {
              received.add(
                  new Received(
                      exchange.getRequestHeaders().getFirst("webhook-id"),
                      exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                      exchange.getRequestHeaders().getFirst("webhook-signature"),
                      body));
              status = answers.isEmpty() ? 200 : answers.poll();
            }
            exchange.sendResponseHeaders(status, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next answers' status codes, in order; 200 once they are used up. */
  synchronized void answer(Integer... statuses) {
    answers.addAll(List.of(statuses));
  }

  void delay(Duration delay) {
    this.delay = delay;
  }

  synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
