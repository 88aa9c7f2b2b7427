package dev.kiln.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.notify.WebhookAddressPolicy;
import dev.kiln.model.notify.WebhookTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook client against plain sockets on loopback: it connects to the address that was checked
 * (never resolving the name again), follows no redirect, and gives up on receivers that answer too
 * slowly or too much.
 */
class WebhookClientIT {
  private final WebhookClient client =
      new WebhookClient(
          Duration.ofSeconds(2),
          Duration.ofMillis(500),
          1024,
          (SSLSocketFactory) SSLSocketFactory.getDefault());
  private final AtomicInteger connections = new AtomicInteger();
  private ServerSocket server;
  private volatile String request = "";

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** A one-connection-at-a-time server that reads the request and then does {@code answer}. */
  private int serve(Consumer<OutputStream> answer) throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    CompletableFuture.runAsync(
        () -> {
          while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
              connections.incrementAndGet();
              request = readRequest(socket.getInputStream());
              answer.accept(socket.getOutputStream());
            } catch (IOException e) {
              return;
            }
          }
        });
    return server.getLocalPort();
  }

  @Test
  void connectsToTheCheckedAddressAndSendsTheNameAsHost() throws Exception {
    int port = serve(out -> write(out, "HTTP/1.1 204 No Content\r\n\r\n"));
    // The name would not resolve here: the client must use the address the check pinned.
    WebhookTarget target =
        WebhookTarget.check(
            "http://hooks.invalid:" + port + "/in?x=1",
            new WebhookAddressPolicy(true),
            host -> new InetAddress[] {InetAddress.getLoopbackAddress()});

    WebhookClient.Outcome outcome = client.post(target, Map.of("webhook-id", "evt_1"), "{\"a\":1}");

    assertThat(outcome.statusCode()).isEqualTo(204);
    assertThat(outcome.succeeded()).isTrue();
    assertThat(request)
        .startsWith("POST /in?x=1 HTTP/1.1\r\n")
        .contains("Host: hooks.invalid:" + port + "\r\n")
        .contains("webhook-id: evt_1\r\n")
        .endsWith("{\"a\":1}");
  }

  @Test
  void aRedirectIsAnAnswerNotFollowed() throws Exception {
    int port =
        serve(
            out ->
                write(
                    out,
                    "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/\r\n"
                        + "Content-Length: 0\r\n\r\n"));

    WebhookClient.Outcome outcome = client.post(local(port), Map.of(), "{}");

    assertThat(outcome.statusCode()).isEqualTo(302);
    assertThat(outcome.succeeded()).isFalse();
    Thread.sleep(200);
    assertThat(connections.get()).isEqualTo(1);
  }

  @Test
  void aReceiverThatDoesNotAnswerTimesOut() throws Exception {
    int port = serve(out -> sleep(3_000));

    long start = System.nanoTime();
    WebhookClient.Outcome outcome = client.post(local(port), Map.of(), "{}");

    assertThat(outcome.statusCode()).isNull();
    assertThat(outcome.error()).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anEndlessAnswerIsCutAtTheSizeLimit() throws Exception {
    int port =
        serve(
            out -> {
              byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
              for (int i = 0; i < 1000; i++) {
                try {
                  out.write(chunk);
                } catch (IOException e) {
                  return;
                }
              }
            });

    WebhookClient.Outcome outcome = client.post(local(port), Map.of(), "{}");

    assertThat(outcome.statusCode()).isNull();
    assertThat(outcome.error()).contains("longer than 1024 bytes");
  }

  private static WebhookTarget local(int port) throws WebhookTarget.RefusedException {
    return WebhookTarget.check(
        "http://127.0.0.1:" + port + "/hook",
        new WebhookAddressPolicy(true),
        InetAddress::getAllByName);
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int length = -1;
    while (true) {
      int next = in.read();
      if (next < 0) {
        break;
      }
      bytes.write(next);
      String text = bytes.toString(StandardCharsets.US_ASCII);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (length < 0) {
          int at = text.toLowerCase().indexOf("content-length: ");
          length = Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
        }
        if (bytes.size() >= end + 4 + length) {
          break;
        }
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
