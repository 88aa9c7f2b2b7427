package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS for configured origins only; security headers on every response; problem details even for
 * requests the HTTP server refuses before any resource sees them.
 */
@ExtendWith(KilnStackExtension.class)
class HttpHardeningIT {
  private static final String ALLOWED = "https://console.example.com";
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aConfiguredOriginMayCallTheApi() {
    Answer preflight =
        api.call(
            "OPTIONS",
            "/api/v1/jobs",
            null,
            null,
            Map.of(
                "Origin",
                ALLOWED,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization,content-type"));

    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
    assertThat(
            api.call("GET", "/api/v1/openapi.json", null, null, Map.of("Origin", ALLOWED))
                .header("Access-Control-Allow-Origin"))
        .isEqualTo(ALLOWED);
  }

  @Test
  void anyOtherOriginGetsNoCorsHeaders() {
    Answer preflight =
        api.call(
            "OPTIONS",
            "/api/v1/jobs",
            null,
            null,
            Map.of("Origin", "https://evil.example.net", "Access-Control-Request-Method", "POST"));
    Answer simple =
        api.call(
            "GET",
            "/api/v1/openapi.json",
            null,
            null,
            Map.of("Origin", "https://evil.example.net"));

    assertThat(preflight.status()).isEqualTo(403);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void theWebUiIsServedAndUnknownPagesAreProblems() {
    Answer page = api.get("/", null);
    Answer script = api.get("/js/main.js", null);
    Answer style = api.get("/app.css", null);
    Answer missing = api.get("/etc/passwd", null);
    Answer outside = api.get("/js/../../WEB-INF/web.xml", null);
    Answer unknownModule = api.get("/js/no-such-page.js", null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.raw().body()).contains("<script type=\"module\" src=\"/js/main.js\"></script>");
    assertThat(script.contentType()).startsWith("text/javascript");
    assertThat(script.raw().body()).contains("import ");
    assertThat(style.contentType()).startsWith("text/css");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(outside.status()).isIn(400, 404);
    assertThat(unknownModule.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    String token = api.newUser();
    List<Answer> answers =
        List.of(
            api.get("/api/v1/whoami", token),
            api.get("/api/v1/whoami", null),
            api.get("/api/v1/nowhere", token),
            api.call("POST", "/api/v1/jobs", token, "{"),
            api.get("/api/v1/openapi.json", null),
            api.get("/", null),
            api.get("/no-such-page", null));
    for (Answer answer : answers) {
      assertThat(answer.header("X-Content-Type-Options"))
          .as(answer.raw().uri().toString())
          .isEqualTo("nosniff");
      assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
      assertThat(answer.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
      assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    }
    assertThat(answers.get(0).header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void requestsTheHttpServerRefusesAreProblemsToo() throws Exception {
    String host = "Host: 127.0.0.1\r\n";
    Map<String, Integer> refused =
        Map.of(
            "GET /api/v1/jobs/%zz HTTP/1.1\r\n" + host + "\r\n", 400,
            "GET /api/v1/whoami HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(40_000) + "\r\n\r\n",
                431,
            "GET /api/v1/whoami HTTP/7.3\r\n" + host + "\r\n", 505,
            "GET /api/v1/..%2f..%2fetc/passwd HTTP/1.1\r\n" + host + "\r\n", 400,
            "GET /api/v1/jobs/" + "a".repeat(70_000) + " HTTP/1.1\r\n" + host + "\r\n", 414,
            "DELETE /api/v1/jobs/%zz HTTP/1.1\r\n" + host + "\r\n", 400,
            "PATCH /api/v1/..%2f..%2fetc/passwd HTTP/1.1\r\n" + host + "\r\n", 400);
    for (Map.Entry<String, Integer> request : refused.entrySet()) {
      RawAnswer answer = RawAnswer.send(api.base(), request.getKey());
      String what = request.getKey().substring(0, 40);
      assertThat(answer.status()).as(what).isEqualTo(request.getValue());
      assertThat(answer.header("content-type")).as(what).startsWith("application/problem+json");
      JsonNode problem = new ObjectMapper().readTree(answer.body());
      assertThat(problem.get("status").asInt()).as(what).isEqualTo(request.getValue());
      assertThat(problem.get("title").asText()).as(what).isNotBlank();
      assertThat(problem.get("detail").asText()).as(what).isNotBlank();
      assertThat(answer.header("x-content-type-options")).as(what).isEqualTo("nosniff");
      assertThat(answer.header("x-frame-options")).as(what).isEqualTo("DENY");
      assertThat(answer.header("content-security-policy")).as(what).contains("frame-ancestors");
      assertThat(answer.header("referrer-policy")).as(what).isEqualTo("no-referrer");
    }
  }

  /** One raw HTTP/1.1 exchange, for requests no well-behaved client would send. */
  private record RawAnswer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name, "");
    }

    static RawAnswer send(URI base, String request) throws Exception {
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        int status = Integer.parseInt(in.readLine().split(" ")[1]);
        Map<String, String> headers = new java.util.HashMap<>();
        int length = -1;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          int colon = line.indexOf(':');
          String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
          headers.put(name, line.substring(colon + 1).strip());
          if (name.equals("content-length")) {
            length = Integer.parseInt(headers.get(name));
          }
        }
        char[] body = new char[Math.max(0, length)];
        int read = 0;
        while (read < body.length) {
          int n = in.read(body, read, body.length - read);
          if (n < 0) {
            break;
          }
          read += n;
        }
        return new RawAnswer(status, headers, new String(body, 0, read));
      }
    }
  }
}
