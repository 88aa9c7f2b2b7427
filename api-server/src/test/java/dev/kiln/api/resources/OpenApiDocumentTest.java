package dev.kiln.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.KilnApiApplication;
import dev.kiln.client.api.AccountSummaryView;
import dev.kiln.client.api.AuditEntryView;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes exactly the operations the resources implement. */
public class OpenApiDocumentTest {
  private static final String ROOT = "/api";

  @Test
  void everyResourceMethodIsDocumentedAndNothingElseIs() throws Exception {
    Set<String> implemented = implementedOperations();
    Set<String> documented = documentedOperations();

    assertThat(implemented).isNotEmpty().contains("POST /api/v1/jobs", "GET /api/v1/jobs/{id}");
    assertThat(documented).containsExactlyInAnyOrderElementsOf(implemented);
  }

  @Test
  void everyOperationDescribesItsProblems() throws Exception {
    JsonNode paths = document().get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        JsonNode responses = paths.get(path).get(method).get("responses");
        assertThat(responses.has("4XX")).as(method + " " + path).isTrue();
        assertThat(responses.at("/4XX/content").has("application/problem+json")).isTrue();
      }
    }
  }

  /** The operator API answers wire records whose JSON is exactly what the document promises. */
  @Test
  void theOperatorListingsAnswerTheDocumentedFieldsAndTypes() throws Exception {
    ObjectMapper json = KilnApiApplication.configure(Jackson.newObjectMapper());
    AccountSummaryView account =
        new AccountSummaryView(
            UUID.randomUUID(),
            "ops@example.com",
            "ADMIN",
            false,
            Instant.parse("2026-03-01T10:15:30Z"),
            2,
            200,
            3,
            45.5,
            new BigDecimal("250.50"),
            1.25,
            1L << 30,
            new BigDecimal("12.50"),
            new BigDecimal("0.526"));
    AuditEntryView entry =
        new AuditEntryView(
            7,
            UUID.randomUUID(),
            "account.budget",
            "account",
            UUID.randomUUID().toString(),
            "{\"monthlyBudgetUsd\": \"250.50\"}",
            Instant.parse("2026-03-01T10:15:30Z"),
            "ops@example.com");

    assertMatchesSchema(json.valueToTree(account), "AccountSummary");
    assertMatchesSchema(json.valueToTree(withoutBudget(account)), "AccountSummary");
    assertMatchesSchema(json.valueToTree(entry), "AuditEntry");
  }

  private static AccountSummaryView withoutBudget(AccountSummaryView account) {
    return new AccountSummaryView(
        account.id(),
        account.email(),
        account.role(),
        account.disabled(),
        account.createdAt(),
        account.files(),
        account.bytesUsed(),
        account.jobs(),
        account.agentSeconds(),
        null,
        account.monthSpendUsd(),
        account.quotaBytes(),
        account.creditsAvailableUsd(),
        account.creditsReservedUsd());
  }

  private static void assertMatchesSchema(JsonNode body, String schema) throws Exception {
    JsonNode properties = document().at("/components/schemas/" + schema + "/properties");
    assertThat(fieldNames(body))
        .as(schema)
        .containsExactlyInAnyOrderElementsOf(fieldNames(properties));
    for (String field : fieldNames(body)) {
      JsonNode type = properties.get(field).get("type");
      Set<String> allowed = new TreeSet<>();
      if (type.isArray()) {
        type.forEach(t -> allowed.add(t.asText()));
      } else {
        allowed.add(type.asText());
      }
      if (allowed.contains("number")) {
        allowed.add("integer");
      }
      assertThat(allowed).as(schema + "." + field).contains(jsonType(body.get(field)));
    }
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String jsonType(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    return value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  public static Set<String> implementedOperations() {
    ResourceConfig config = new ResourceConfig().packages("dev.kiln.api.resources");
    Set<String> operations = new TreeSet<>();
    for (Class<?> type : config.getClasses()) {
      if (!type.isAnnotationPresent(Path.class)) {
        continue;
      }
      Resource resource = Resource.from(type);
      String base = ROOT + normalise(resource.getPath());
      for (ResourceMethod method : resource.getResourceMethods()) {
        operations.add(method.getHttpMethod() + " " + base);
      }
      for (Resource child : resource.getChildResources()) {
        for (ResourceMethod method : child.getResourceMethods()) {
          operations.add(method.getHttpMethod() + " " + base + normalise(child.getPath()));
        }
      }
    }
    return operations;
  }

  static Set<String> documentedOperations() throws Exception {
    JsonNode paths = document().get("paths");
    Set<String> operations = new TreeSet<>();
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        operations.add(m.next().toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return operations;
  }

  static JsonNode document() throws Exception {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
      assertThat(in).as("the OpenAPI document is packaged").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static String normalise(String path) {
    String withSlash = path.startsWith("/") ? path : "/" + path;
    return withSlash.endsWith("/") && withSlash.length() > 1
        ? withSlash.substring(0, withSlash.length() - 1)
        : withSlash;
  }
}
