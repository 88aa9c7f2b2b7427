package dev.kiln.scheduler.notify;

import dev.kiln.model.notify.WebhookTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Posts one webhook request over HTTP/1.1 to the address its target was checked against, never to
 * whatever the name resolves to later: a plain socket connected to that address, TLS on top with
 * the host name for SNI and certificate checks. Follows no redirect (a 3xx is an answer like any
 * other), bounds the connection and every read by timeouts and the whole answer by a deadline, and
 * reads no more than the status line (at most {@code maxResponseBytes}). Thread-safe.
 */
public final class WebhookClient {
  /** What came of one request: the status code, or null and what went wrong. */
  public record Outcome(Integer statusCode, String error, int durationMs) {
    public boolean succeeded() {
      return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
  }

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxResponseBytes;
  private final SSLSocketFactory tls;

  public WebhookClient(
      Duration connectTimeout, Duration readTimeout, int maxResponseBytes, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxResponseBytes = maxResponseBytes;
    this.tls = tls;
  }

  /** Posts a JSON body with the given headers. */
  public Outcome post(WebhookTarget target, Map<String, String> headers, String body) {
    long start = System.nanoTime();
    try (Socket plain = new Socket()) {
      plain.connect(
          new InetSocketAddress(target.address(), target.port()), (int) connectTimeout.toMillis());
      plain.setSoTimeout((int) readTimeout.toMillis());
      Socket socket = target.https() ? secure(plain, target) : plain;
      try {
        write(socket.getOutputStream(), target, headers, body);
        int status = readStatus(socket.getInputStream(), start);
        return new Outcome(status, null, millisSince(start));
      } finally {
        socket.close();
      }
    } catch (SocketTimeoutException e) {
      return new Outcome(null, "timed out: " + e.getMessage(), millisSince(start));
    } catch (SSLException e) {
      return new Outcome(null, "TLS failed: " + e.getMessage(), millisSince(start));
    } catch (IOException | RuntimeException e) {
      return new Outcome(
          null, e.getClass().getSimpleName() + ": " + e.getMessage(), millisSince(start));
    }
  }

  private SSLSocket secure(Socket plain, WebhookTarget target) throws IOException {
    SSLSocket socket = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!target.host().contains(":") && !target.host().matches("[0-9.]+")) {
      parameters.setServerNames(List.of(new SNIHostName(target.host())));
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static void write(
      OutputStream out, WebhookTarget target, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String path = target.uri().getRawPath();
    String query = target.uri().getRawQuery();
    StringBuilder request = new StringBuilder();
    request
        .append("POST ")
        .append(path == null || path.isEmpty() ? "/" : path)
        .append(query == null ? "" : "?" + query)
        .append(" HTTP/1.1\r\n")
        .append("Host: ")
        .append(target.uri().getRawAuthority())
        .append("\r\n")
        .append("User-Agent: Kiln-Webhooks/1\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ")
        .append(content.length)
        .append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.flush();
  }

  /** Reads the status line within the read deadline; the rest of the answer is not read. */
  private int readStatus(InputStream in, long start) throws IOException {
    long deadline = start + connectTimeout.toNanos() + readTimeout.toNanos();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int limit = Math.min(maxResponseBytes, 8192);
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("no status line within the read timeout");
      }
      int next = in.read();
      if (next < 0) {
        throw new IOException("the connection closed before a status line");
      }
      if (next == '\n') {
        break;
      }
      if (line.size() >= limit) {
        throw new IOException("the status line is longer than " + limit + " bytes");
      }
      line.write(next);
    }
    String status = line.toString(StandardCharsets.US_ASCII).trim();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9]{2}")) {
      throw new IOException("not an HTTP/1.x answer: " + abbreviate(status));
    }
    return Integer.parseInt(parts[1]);
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  private static int millisSince(long start) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
  }
}
