package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of the OpenAPI document, every parameter and body field, fed boundary and random
 * values: huge, tiny, negative, 1E-1000000000, NaN strings, wrong types, unicode. No answer is a
 * 5xx, and every refusal is a problem.
 */
@ExtendWith(KilnStackExtension.class)
class GeneratedInputIT {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Would end the test's own session or account, or stream until a job ends. */
  private static final Set<String> SKIPPED =
      Set.of("POST /api/v1/auth/logout", "DELETE /api/v1/admin/accounts/{id}");

  private static ApiHarness api;
  private static String admin;
  private static String fileId;
  private static String otherAccount;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    Fixtures fixtures = new Fixtures(api);
    admin = fixtures.makeAdmin("fuzz-admin-" + UUID.randomUUID() + "@example.com");
    fileId = fixtures.readyFile(admin);
    otherAccount = fixtures.accountId(api.newUser()).toString();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  static List<JsonNode> hostileValues(Random random) {
    List<JsonNode> values = new ArrayList<>();
    for (String raw :
        List.of(
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "-1",
            "0",
            "1",
            "1E-1000000000",
            "1E+1000000000",
            "-1E+400",
            "0.1",
            "1.5",
            "-0.0",
            "1e308",
            "123456789012345678901234567890.123456789",
            "true",
            "null",
            "[]",
            "{}",
            "[1,2,3]",
            "{\"a\":{\"b\":[null]}}")) {
      values.add(parse(raw));
    }
    for (String text :
        List.of(
            "",
            " ",
            "NaN",
            "Infinity",
            "-Infinity",
            "1E-1000000000",
            "9223372036854775808",
            "\u202Eevil\u202C.csv",
            "\u0000",
            "\uD83D\uDE00",
            "../../etc/passwd",
            "'; drop table jobs; --",
            "x".repeat(5_000),
            UUID.randomUUID().toString(),
            "00000000-0000-0000-0000-000000000000")) {
      values.add(NODES.textNode(text));
    }
    values.add(NODES.numberNode(random.nextLong()));
    values.add(NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(600) - 300)));
    return values;
  }

  private static List<String> hostileTexts() {
    return List.of(
        "-1",
        "0",
        "9223372036854775808",
        "1E-1000000000",
        "NaN",
        "",
        "%00",
        "\u202E",
        "x".repeat(3_000),
        "00000000-0000-0000-0000-000000000000",
        "not-a-uuid",
        "2026-13-45T99:99:99Z");
  }

  @Test
  void noOperationAnswersA5xxAndEveryRefusalIsAProblem() throws Exception {
    Random random = new Random(42);
    JsonNode document = api.get("/api/v1/openapi.json", null).body();
    List<String> failures = new ArrayList<>();
    int calls = 0;
    Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
      while (operations.hasNext()) {
        Map.Entry<String, JsonNode> operation = operations.next();
        String method = operation.getKey().toUpperCase();
        if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)
            || SKIPPED.contains(method + " " + path.getKey())) {
          continue;
        }
        for (Probe probe : probes(document, path.getKey(), operation.getValue(), random)) {
          calls++;
          Answer answer = api.call(method, probe.path(), admin, probe.body(), probe.headers());
          String contentType = answer.contentType() == null ? "" : answer.contentType();
          boolean bad =
              answer.status() >= 500
                  || (answer.status() >= 400
                      && !contentType.startsWith("application/problem+json"));
          if (bad) {
            failures.add(
                method
                    + " "
                    + probe.path()
                    + " "
                    + abbreviate(probe.body())
                    + " -> "
                    + answer.status()
                    + " "
                    + abbreviate(answer.raw().body()));
          }
        }
      }
    }
    assertThat(calls).isGreaterThan(500);
    assertThat(failures).isEmpty();
  }

  private record Probe(String path, String body, Map<String, String> headers) {}

  private static List<Probe> probes(
      JsonNode document, String template, JsonNode operation, Random random) {
    List<Probe> probes = new ArrayList<>();
    JsonNode parameters = operation.path("parameters");
    ObjectNode goodBody = null;
    JsonNode schema =
        resolve(document, operation.at("/requestBody/content/application~1json/schema"));
    if (!schema.isMissingNode()) {
      goodBody = goodObject(document, schema);
    }
    String goodPath = template;
    for (JsonNode parameter : parameters) {
      if ("path".equals(parameter.path("in").asText())) {
        goodPath = goodPath.replace("{" + parameter.get("name").asText() + "}", goodId(template));
      }
    }
    String body = goodBody == null ? null : goodBody.toString();
    probes.add(new Probe(goodPath, body, Map.of()));
    for (JsonNode parameter : parameters) {
      String name = parameter.get("name").asText();
      String in = parameter.path("in").asText();
      for (String text : hostileTexts()) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        switch (in) {
          case "path" ->
              probes.add(
                  new Probe(
                      template
                          .replace("{" + name + "}", encoded)
                          .replaceAll("\\{[^}]+}", goodId(template)),
                      body,
                      Map.of()));
          case "query" ->
              probes.add(new Probe(goodPath + "?" + name + "=" + encoded, body, Map.of()));
          case "header" -> {
            if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !text.isEmpty()) {
              probes.add(new Probe(goodPath, body, Map.of(name, text)));
            }
          }
          default -> {}
        }
      }
    }
    if (goodBody != null) {
      for (JsonNode whole : hostileValues(random)) {
        probes.add(new Probe(goodPath, whole.toString(), Map.of()));
      }
      Iterator<String> fields = schemaProperties(document, schema);
      while (fields.hasNext()) {
        String field = fields.next();
        for (JsonNode value : hostileValues(random)) {
          ObjectNode changed = goodBody.deepCopy();
          changed.set(field, value);
          probes.add(new Probe(goodPath, changed.toString(), Map.of()));
        }
      }
    }
    return probes;
  }

  /** An id the operation finds: a real file, another account, or a random one. */
  private static String goodId(String template) {
    if (template.startsWith("/api/v1/files/")) {
      return fileId;
    }
    if (template.startsWith("/api/v1/admin/accounts/")) {
      return otherAccount;
    }
    return UUID.randomUUID().toString();
  }

  private static Iterator<String> schemaProperties(JsonNode document, JsonNode schema) {
    return resolve(document, schema).path("properties").fieldNames();
  }

  private static ObjectNode goodObject(JsonNode document, JsonNode schema) {
    ObjectNode object = NODES.objectNode();
    Iterator<Map.Entry<String, JsonNode>> properties =
        resolve(document, schema).path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      object.set(property.getKey(), goodValue(document, property.getKey(), property.getValue()));
    }
    return object;
  }

  private static JsonNode goodValue(JsonNode document, String name, JsonNode schema) {
    JsonNode resolved = resolve(document, schema);
    if (resolved.has("examples") && resolved.get("examples").size() > 0) {
      return resolved.get("examples").get(0);
    }
    String type =
        resolved.path("type").isArray()
            ? resolved.path("type").get(0).asText()
            : resolved.path("type").asText();
    return switch (type) {
      case "integer" -> NODES.numberNode(Math.max(1, resolved.path("minimum").asLong(1)));
      case "number" -> NODES.numberNode(1);
      case "boolean" -> NODES.booleanNode(false);
      case "array" -> NODES.arrayNode().add(goodValue(document, name, resolved.path("items")));
      case "object" -> goodObject(document, resolved);
      default ->
          "uuid".equals(resolved.path("format").asText())
              ? NODES.textNode(fileId)
              : NODES.textNode(
                  name.toLowerCase().contains("email")
                      ? "fuzz-" + UUID.randomUUID() + "@example.com"
                      : name.toLowerCase().contains("password")
                          ? "a long enough fuzzing password"
                          : "fuzz.csv");
    };
  }

  private static JsonNode resolve(JsonNode document, JsonNode schema) {
    JsonNode current = schema;
    while (current.has("$ref")) {
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (Exception e) {
      throw new IllegalStateException(raw, e);
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }
}
