package dev.kiln.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * CloudWatch's {@code GetMetricData} on loopback, for what moto_server cannot answer (percentile
 * statistics): every call gets the answer set last, a recorded response (beside this class, in the
 * JSON form of the same shape) sent the way CloudWatch sends it to the SDK, as Smithy RPC v2 CBOR.
 * Keeps every request, decoded. Thread-safe.
 */
final class CloudWatchFake implements AutoCloseable {

  private static final String PATH =
      "/service/GraniteServiceVersion20100801/operation/GetMetricData";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR = new CBORMapper();

  private final HttpServer server;
  private final AtomicReference<JsonNode> answer = new AtomicReference<>();
  private final List<JsonNode> requests = new ArrayList<>();

  CloudWatchFake() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          if (!PATH.equals(exchange.getRequestURI().getPath())) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          synchronized (requests) {
            requests.add(CBOR.readTree(body));
          }
          byte[] bytes = CBOR.writeValueAsBytes(answer.get());
          exchange.getResponseHeaders().add("Content-Type", "application/cbor");
          exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers every call from now on with the recorded response {@code resource}. */
  void answerRecorded(String resource) {
    try (InputStream in = CloudWatchFake.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded response " + resource);
      }
      answer.set(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests received so far, decoded from CBOR. */
  List<JsonNode> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
