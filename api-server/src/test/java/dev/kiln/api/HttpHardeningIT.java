package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CORS for configured origins only; security headers on every response. */
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
    Answer script = api.get("/app.js", null);
    Answer missing = api.get("/etc/passwd", null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.raw().body()).contains("<script src=\"/app.js\"></script>");
    assertThat(script.raw().body()).contains("EventSource");
    assertThat(missing.status()).isEqualTo(404);
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
}
