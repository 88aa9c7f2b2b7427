package dev.kiln.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The real API on a random port over a {@link TestStack}, and a tiny HTTP client for tests. */
public final class ApiHarness implements AutoCloseable {
  public static final String PASSWORD = "a long enough password";

  private final DropwizardTestSupport<KilnApiConfiguration> app;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final TestStack stack;

  private ApiHarness(TestStack stack, String configResource, ConfigOverride... extra) {
    this.stack = stack;
    ConfigOverride[] base = {
      ConfigOverride.config("database.url", stack.jdbcUrl()),
      ConfigOverride.config("database.user", stack.dbUser()),
      ConfigOverride.config("database.password", stack.dbPassword()),
      ConfigOverride.config("redis.uri", stack.redisUri()),
      ConfigOverride.config("s3.endpoint", stack.s3().endpoint().toString()),
      ConfigOverride.config("s3.accessKey", stack.s3().accessKey()),
      ConfigOverride.config("s3.secretKey", stack.s3().secretKey()),
      ConfigOverride.config("s3.region", stack.s3().region()),
      ConfigOverride.config("s3.uploadsBucket", stack.uploadsBucket()),
      ConfigOverride.config("s3.resultsBucket", stack.resultsBucket()),
    };
    ConfigOverride[] all = new ConfigOverride[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    this.app =
        new DropwizardTestSupport<>(
            KilnApiApplication.class, ResourceHelpers.resourceFilePath(configResource), all);
  }

  public static ApiHarness start(TestStack stack, ConfigOverride... extra) throws Exception {
    return startWith("api-test.yml", stack, extra);
  }

  /** The API with another configuration file from the test resources. */
  public static ApiHarness startWith(
      String configResource, TestStack stack, ConfigOverride... extra) throws Exception {
    ApiHarness harness = new ApiHarness(stack, configResource, extra);
    harness.app.before();
    return harness;
  }

  public TestStack stack() {
    return stack;
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + app.getLocalPort());
  }

  public KilnApiApplication application() {
    return app.getApplication();
  }

  @Override
  public void close() {
    app.after();
  }

  /** An HTTP answer with its body parsed as JSON when it is JSON. */
  public record Answer(int status, HttpResponse<String> raw, JsonNode body) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    public String text(String field) {
      JsonNode node = body == null ? null : body.get(field);
      return node == null || node.isNull() ? null : node.asText();
    }
  }

  public Answer call(String method, String path, String token, String body) {
    return call(method, path, token, body, Map.of());
  }

  public Answer call(
      String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    if (body != null) {
      if (!headers.containsKey("Content-Type")) {
        request.header("Content-Type", "application/json");
      }
      request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !response.body().isEmpty()) {
        parsed = json.readTree(response.body());
      }
      return new Answer(response.statusCode(), response, parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Answer get(String path, String token) {
    return call("GET", path, token, null);
  }

  public Answer post(String path, String token, Object body) {
    return call("POST", path, token, body == null ? null : toJson(body));
  }

  public Answer delete(String path, String token) {
    return call("DELETE", path, token, null);
  }

  public String toJson(Object body) {
    try {
      return body instanceof String text ? text : json.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ObjectNode object() {
    return json.createObjectNode();
  }

  /** A new account; returns its access token. */
  public String signup(String email) {
    Answer answer = post("/api/v1/auth/signup", null, Map.of("email", email, "password", PASSWORD));
    if (answer.status() != 201) {
      throw new IllegalStateException("signup failed: " + answer.raw().body());
    }
    return answer.body().get("accessToken").asText();
  }

  public String newUser() {
    return signup("user-" + UUID.randomUUID() + "@example.com");
  }

  /** PUTs bytes to a presigned URL; returns the ETag S3 answered. */
  public String putTo(String url, byte[] bytes) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "PUT failed " + response.statusCode() + ": " + response.body());
      }
      return response.headers().firstValue("ETag").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** PUTs bytes to a presigned URL; returns the status S3 answered. */
  public int putStatus(String url, byte[] bytes) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs a URL (a presigned download); returns the body. */
  public byte[] fetch(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates, uploads and completes a file; returns its id. */
  public String uploadFile(String token, String name, byte[] bytes) {
    Answer created = post("/api/v1/files", token, Map.of("name", name, "sizeBytes", bytes.length));
    if (created.status() != 201) {
      throw new IllegalStateException("create failed: " + created.raw().body());
    }
    putTo(created.text("uploadUrl"), bytes);
    Answer completed = post("/api/v1/files/" + created.text("id") + "/complete", token, null);
    if (completed.status() != 200) {
      throw new IllegalStateException("complete failed: " + completed.raw().body());
    }
    return created.text("id");
  }
}
