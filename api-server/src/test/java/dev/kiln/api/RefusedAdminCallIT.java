package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A non-admin's call to the operator API is refused and written to the audit log. */
@ExtendWith(KilnStackExtension.class)
class RefusedAdminCallIT {
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void refusedOperatorCallsAreAuditedWithActorPathMethodAndOutcome() throws Exception {
    String admin = fixtures.makeAdmin("admin-" + UUID.randomUUID() + "@example.com");
    String user = api.newUser();
    UUID userId = fixtures.accountId(user);
    String disablePath = "/api/v1/admin/accounts/" + userId + "/disable";

    assertThat(api.get("/api/v1/admin/accounts?limit=5", user).status()).isEqualTo(403);
    assertThat(api.post(disablePath, user, null).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/admin/accounts", null).status()).isEqualTo(401);

    List<JsonNode> refused = new ArrayList<>();
    for (JsonNode entry : api.get("/api/v1/admin/audit?limit=50", admin).body().get("items")) {
      if (entry.get("action").asText().equals("admin.refused")) {
        refused.add(entry);
      }
    }
    assertThat(refused).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode disable = refused.get(0);
    assertThat(disable.get("actorId").asText()).isEqualTo(userId.toString());
    assertThat(disable.get("targetId").asText()).isEqualTo(disablePath);
    JsonNode detail = json.readTree(disable.get("detailJson").asText());
    assertThat(detail.get("method").asText()).isEqualTo("POST");
    assertThat(detail.get("path").asText()).isEqualTo(disablePath);
    assertThat(detail.get("outcome").asText()).isEqualTo("403 refused");
    JsonNode list = refused.get(1);
    assertThat(list.get("targetId").asText())
        .as("the query string is not recorded")
        .isEqualTo("/api/v1/admin/accounts");
    assertThat(json.readTree(list.get("detailJson").asText()).get("method").asText())
        .isEqualTo("GET");
  }
}
