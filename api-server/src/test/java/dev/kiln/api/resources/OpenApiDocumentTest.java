package dev.kiln.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Path;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
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
