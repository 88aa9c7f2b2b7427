package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.FileState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hostile and sloppy input: every one a 4xx problem or an unharmed round trip, never a 500. */
@ExtendWith(KilnStackExtension.class)
class InputIT {
  private static ApiHarness api;
  private static String token;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api = ApiHarness.start(stack);
    token = api.newUser();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void pathTraversalInAFileNameStaysInsideTheOwnersPrefix() throws Exception {
    String name = "../../other-account/..\\etc/passwd";
    Answer created = api.post("/api/v1/files", token, Map.of("name", name, "sizeBytes", 3));

    assertThat(created.status()).isEqualTo(201);
    String url = created.text("uploadUrl");
    String owner = api.get("/api/v1/whoami", token).text("accountId");
    String path = java.net.URI.create(url).getPath();
    List<String> segments = List.of(path.substring(1).split("/"));
    assertThat(segments).hasSize(5).doesNotContain("..", ".");
    assertThat(segments.get(1)).isEqualTo("upload");
    assertThat(segments.subList(2, 4)).containsExactly(owner, created.text("id"));
    api.putTo(url, "abc".getBytes(StandardCharsets.UTF_8));
    Answer done = api.post("/api/v1/files/" + created.text("id") + "/complete", token, null);
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.text("name")).isEqualTo(name);
  }

  @Test
  void controlCharactersInNamesAreRefused() {
    for (String name :
        List.of("a\u0000b.csv", "line\nbreak.csv", "bell\u0007.csv", "\u001b[31mred.csv")) {
      Answer answer = api.post("/api/v1/files", token, Map.of("name", name, "sizeBytes", 3));
      assertThat(answer.status()).as(name).isEqualTo(422);
      assertThat(answer.text("detail")).contains("control characters");
    }
  }

  @Test
  void veryLongStringsAreRefusedWithTheLimit() {
    String huge = "n".repeat(10_000);

    Answer name = api.post("/api/v1/files", token, Map.of("name", huge, "sizeBytes", 3));
    Answer processor =
        api.post("/api/v1/jobs", token, Map.of("processor", huge, "inputs", List.of()));
    Answer key = api.post("/api/v1/account/api-keys", token, Map.of("name", huge));
    Answer email =
        api.post(
            "/api/v1/auth/signup", null, Map.of("email", huge + "@example.com", "password", huge));

    assertThat(List.of(name, processor, key, email))
        .allSatisfy(a -> assertThat(a.status()).isEqualTo(422));
    assertThat(name.text("detail")).contains("255");
  }

  @Test
  void sqlMetacharactersRoundTripUnharmed() {
    String name = "x'; drop table files; -- \"quoted\" %_\\ ; select * from accounts.csv";
    String fileId = api.uploadFile(token, name, "1\n".getBytes(StandardCharsets.UTF_8));
    String keyName = "o'brien\"; delete from api_keys; --";

    assertThat(api.get("/api/v1/files/" + fileId, token).text("name")).isEqualTo(name);
    assertThat(api.post("/api/v1/account/api-keys", token, Map.of("name", keyName)).text("name"))
        .isEqualTo(keyName);
    Answer list = api.get("/api/v1/files", token);
    List<String> names = new ArrayList<>();
    list.body().get("items").forEach(item -> names.add(item.get("name").asText()));
    assertThat(names).contains(name);
    Answer badState = api.get("/api/v1/jobs?state=RUNNING'%20or%20'1'='1", token);
    assertThat(badState.status()).isEqualTo(400);
    Answer idem =
        api.call(
            "POST",
            "/api/v1/jobs",
            token,
            api.toJson(Map.of("processor", "parse", "inputs", List.of(fileId))),
            Map.of("Idempotency-Key", "k'; drop table jobs; --"));
    assertThat(idem.status()).isEqualTo(202);
    assertThat(idem.text("idempotencyKey")).isEqualTo("k'; drop table jobs; --");
  }

  @Test
  void malformedJsonIsABadRequestThatSaysWhere() {
    Answer answer =
        api.call("POST", "/api/v1/files", token, "{\"name\": \"a.csv\", \"sizeBytes\": 3");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.text("detail")).contains("not valid JSON", "line");
    Answer wrongType =
        api.call("POST", "/api/v1/files", token, "{\"name\":\"a.csv\",\"sizeBytes\":\"three\"}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.text("detail")).contains("sizeBytes", "whole number");
    Answer wrongMedia =
        api.call("POST", "/api/v1/files", token, "name=a", Map.of("Content-Type", "text/plain"));
    assertThat(wrongMedia.status()).isEqualTo(415);
  }

  @Test
  void bodiesAboveTheLimitAre413() {
    byte[] filler = new byte[70 * 1024];
    Arrays.fill(filler, (byte) 'a');
    String body =
        "{\"name\":\"" + new String(filler, StandardCharsets.US_ASCII) + "\",\"sizeBytes\":1}";

    Answer answer = api.call("POST", "/api/v1/files", token, body);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aMultipartUploadCompletesWithTheRightEtagsAndNotWithWrongOnes() {
    int partSize = 5 * 1024 * 1024;
    byte[] data = new byte[partSize + 1000];
    Arrays.fill(data, (byte) 'z');
    Answer created =
        api.post(
            "/api/v1/files",
            token,
            Map.of("name", "big.txt", "sizeBytes", data.length, "multipart", true));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    JsonNode parts = created.body().get("parts");
    assertThat(parts).hasSize(2);
    String etag1 =
        api.putTo(parts.get(0).get("url").asText(), Arrays.copyOfRange(data, 0, partSize));
    String etag2 =
        api.putTo(
            parts.get(1).get("url").asText(), Arrays.copyOfRange(data, partSize, data.length));
    String complete = "/api/v1/files/" + created.text("id") + "/complete";

    Answer wrong =
        api.post(
            complete,
            token,
            Map.of(
                "parts",
                List.of(
                    Map.of("partNumber", 1, "etag", etag1),
                    Map.of("partNumber", 2, "etag", "\"0123456789abcdef0123456789abcdef\""))));
    Answer missing = api.post(complete, token, null);
    Answer right =
        api.post(
            complete,
            token,
            Map.of(
                "parts",
                List.of(
                    Map.of("partNumber", 2, "etag", etag2),
                    Map.of("partNumber", 1, "etag", etag1))));

    assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(422);
    assertThat(wrong.text("detail")).contains("ETag");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(right.status()).as(right.raw().body()).isEqualTo(200);
    assertThat(right.text("state")).isEqualTo(FileState.READY.name());
    assertThat(right.body().get("sizeBytes").asLong()).isEqualTo(data.length);
  }

  @Test
  void aSinglePartUploadOfTheWrongSizeOrACompletionWithAWrongEtagIsRefused() {
    Answer created = api.post("/api/v1/files", token, Map.of("name", "s.csv", "sizeBytes", 4));
    String url = created.text("uploadUrl");
    String complete = "/api/v1/files/" + created.text("id") + "/complete";

    int wrongSizePut = api.putStatus(url, "abc".getBytes(StandardCharsets.UTF_8));
    Answer notUploaded = api.post(complete, token, null);
    String etag = api.putTo(url, "abcd".getBytes(StandardCharsets.UTF_8));
    Answer wrongEtag = api.post(complete, token, Map.of("etag", "\"" + "0".repeat(32) + "\""));
    Answer right = api.post(complete, token, Map.of("etag", etag));

    assertThat(wrongSizePut).isEqualTo(403);
    assertThat(notUploaded.status()).isEqualTo(409);
    assertThat(wrongEtag.status()).isEqualTo(422);
    assertThat(wrongEtag.text("detail")).contains("ETag");
    assertThat(right.status()).as(right.raw().body()).isEqualTo(200);
  }

  @Test
  void theStorageQuotaIsEnforced() {
    Answer answer =
        api.post(
            "/api/v1/files", token, Map.of("name", "huge.bin", "sizeBytes", 65L * 1024 * 1024));

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.text("detail")).contains("quota");
  }

  @Test
  void badCursorsLimitsAndIdsAreClientErrors() {
    assertThat(api.get("/api/v1/files?cursor=%27%3B--", token).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs?limit=0", token).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs?limit=abc", token).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/files/..%2F..%2Fetc", token).status()).isBetween(400, 404);
    assertThat(
            api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/outputs/x/download", token)
                .status())
        .isEqualTo(404);
    assertThat(api.call("PUT", "/api/v1/jobs", token, "{}").status()).isEqualTo(405);
    assertThat(api.get("/api/v1/nothing-here", token).status()).isEqualTo(404);
  }
}
