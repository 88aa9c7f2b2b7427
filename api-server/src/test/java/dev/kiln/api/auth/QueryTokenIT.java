package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A token in the query string authenticates the event stream and nothing else. */
@ExtendWith(KilnStackExtension.class)
class QueryTokenIT {
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
  void pathTricksDoNotExtendTheQueryTokenBeyondTheEventStream() {
    String token = api.newUser();
    for (String path :
        List.of(
            "/api/v1/whoami;%2Fevents",
            "/api/v1/whoami;/events",
            "/api/v1/whoami;x=/events",
            "/api/v1/files;%2Fevents",
            "/api/v1/jobs;events=1/events",
            "/api/v1/whoami/%2e%2e/events")) {
      Answer answer = api.get(path + "?access_token=" + token, null);
      assertThat(answer.status()).as(path).isIn(401, 404, 400);
    }
    Answer minted =
        api.call(
            "POST",
            "/api/v1/account/api-keys;%2Fevents?access_token=" + token,
            null,
            api.toJson(Map.of("name", "stolen")));
    assertThat(minted.status()).isIn(401, 404, 400);
    assertThat(api.get("/api/v1/account/api-keys", token).body()).isEmpty();
  }

  @Test
  void theEventStreamTakesTheQueryTokenEvenWithMatrixParameters() {
    String token = api.newUser();
    String missing = "/api/v1/jobs/" + UUID.randomUUID();

    assertThat(api.get(missing + "/events?access_token=" + token, null).status()).isEqualTo(404);
    assertThat(api.get(missing + "/events;x=1?access_token=" + token, null).status())
        .isEqualTo(404);
    assertThat(api.get(missing + "/events?access_token=nonsense", null).status()).isEqualTo(401);
  }
}
