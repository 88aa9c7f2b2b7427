package dev.kiln.api.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server-sent event stream a test holds open, its lines read by a thread of its own. */
final class OpenStream implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final HttpResponse<InputStream> response;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private volatile boolean ended;

  private OpenStream(HttpResponse<InputStream> response) {
    this.response = response;
    if (response.statusCode() == 200) {
      Thread reader = new Thread(this::read, "test-stream-reader");
      reader.setDaemon(true);
      reader.start();
    } else {
      ended = true;
    }
  }

  /** Opens {@code url} with the token in the query string, as a browser's EventSource does. */
  static OpenStream open(URI url, String credential, boolean inQuery, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(inQuery ? URI.create(url + "?access_token=" + credential) : url)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    if (!inQuery) {
      request.header("Authorization", "Bearer " + credential);
    }
    try {
      return new OpenStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        arrivals.add(new Arrival(line, System.nanoTime()));
        lines.add(line);
      }
    } catch (IOException closed) {
      // Closed by the test or the server.
    } finally {
      ended = true;
    }
  }

  int status() {
    return response.statusCode();
  }

  /** The body of a refused stream. */
  String refusal() {
    try {
      return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** A line and when it was read ({@link System#nanoTime()}). */
  record Arrival(String line, long nanos) {}

  /** Every line read so far with its arrival time, in order. */
  List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  boolean started() {
    return lines.stream().anyMatch(line -> line.startsWith("retry:"));
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
