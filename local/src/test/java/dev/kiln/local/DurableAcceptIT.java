package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.client.api.FileView;
import dev.kiln.embedded.PostgresEndpoint;
import dev.kiln.embedded.PostgresService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code 202} from {@code POST /api/v1/jobs} in local mode means the job is on disk: PostgreSQL
 * killed with SIGKILL right after the answer (the postmaster and every backend, before any could
 * flush) and started again on the same data directory still has it.
 */
class DurableAcceptIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void aJobAcknowledgedWith202SurvivesAKilledPostgres() throws Exception {
    LocalSettings settings =
        new LocalSettings(
            dataDir,
            0,
            0,
            1,
            1,
            System.getProperty("java.class.path"),
            TestSettings.javacppCacheDir(),
            false);
    Path postgresDir = dataDir.resolve("services").resolve("postgres");
    List<UUID> acknowledged = new ArrayList<>();
    try (LocalPlatform platform = LocalPlatform.start(settings)) {
      FileView input =
          platform
              .client()
              .upload(Files.writeString(dataDir.resolve("input.csv"), "id,x\n1,2\n2,3\n"));
      for (int i = 0; i < 4; i++) {
        acknowledged.add(submit(platform, input.id()));
      }
      HttpResponse<String> last = post(platform, input.id());
      assertThat(last.statusCode()).as(last.body()).isEqualTo(202);
      killPostgres(postgresDir);
      acknowledged.add(UUID.fromString(JSON.readTree(last.body()).path("id").asText()));
    }

    try (PostgresService again = PostgresService.start(postgresDir, true)) {
      assertThat(jobsFound(again.endpoint(), acknowledged)).isEqualTo(acknowledged.size());
    }
  }

  private static UUID submit(LocalPlatform platform, UUID input) throws Exception {
    HttpResponse<String> response = post(platform, input);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = JSON.readTree(response.body());
    return UUID.fromString(job.path("id").asText());
  }

  private static HttpResponse<String> post(LocalPlatform platform, UUID input) throws Exception {
    String body =
        JSON.writeValueAsString(Map.of("processor", "parse", "inputs", List.of(input.toString())));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + platform.account().token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL to the postmaster and all its backends at once: no process gets to flush anything. */
  private static void killPostgres(Path postgresDir) throws Exception {
    long pid = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0));
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
    all.add(0, postmaster);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : all) {
      process.onExit().get();
    }
  }

  private static int jobsFound(PostgresEndpoint postgres, List<UUID> ids) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        PreparedStatement query =
            connection.prepareStatement("select count(*) from jobs where id = any(?)")) {
      query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
