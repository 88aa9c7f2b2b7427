package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No credential reaches a log: the request log (configured here to print the Authorization header)
 * and the application log are read back after requests carrying good, forged and revoked tokens.
 */
@ExtendWith(KilnStackExtension.class)
class TokenLogIT {
  private static final Path LOGS = Path.of("target", "token-log-it");
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    Files.createDirectories(LOGS);
    Files.deleteIfExists(LOGS.resolve("requests.log"));
    Files.deleteIfExists(LOGS.resolve("app.log"));
    api = ApiHarness.startWith("api-logging-test.yml", stack);
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String read(String name) {
    try {
      Path file = LOGS.resolve(name);
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tokensInTheQueryAndTheAuthorizationHeaderAreRedacted() {
    String token = api.newUser();
    String job = fixtures.cancelledJob(token);
    String apiKey =
        api.post("/api/v1/account/api-keys", token, Map.of("name", "logged")).text("key");
    String forged = token.substring(0, token.length() - 6) + "AAAAAA";
    String revokedKey = "kiln_" + "Q".repeat(32);

    assertThat(api.get("/api/v1/jobs/" + job + "/events?access_token=" + token, null).status())
        .isEqualTo(200);
    assertThat(
            api.get("/api/v1/jobs/" + job + "/events?x=1&access%5Ftoken=" + token, null).status())
        .isEqualTo(200);
    assertThat(api.get("/api/v1/jobs/" + job + "/events?ACCESS_TOKEN=" + forged, null).status())
        .isEqualTo(401);
    assertThat(api.get("/api/v1/whoami?access_token=" + token, null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/whoami", apiKey).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/whoami", forged).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/whoami", revokedKey).status()).isEqualTo(401);
    String marker = "marker-" + UUID.randomUUID();
    api.get("/api/v1/openapi.json?" + marker + "=1", null);

    await().atMost(Duration.ofSeconds(10)).until(() -> read("requests.log").contains(marker));
    String requests = read("requests.log");
    String application = read("app.log");
    assertThat(requests).contains("access_token=[redacted]").contains("auth=Bearer [redacted]");
    assertThat(requests).contains("access%5Ftoken=[redacted]").contains("ACCESS_TOKEN=[redacted]");
    for (String secret :
        new String[] {token, apiKey, forged, revokedKey, token.substring(40, 80)}) {
      assertThat(requests).doesNotContain(secret);
      assertThat(application).doesNotContain(secret);
    }
  }
}
