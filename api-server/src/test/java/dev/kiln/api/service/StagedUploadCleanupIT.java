package dev.kiln.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.api.Fixtures;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deleting a pending file or an account deletes its staged uploads and aborts its multipart
 * uploads.
 */
@ExtendWith(KilnStackExtension.class)
class StagedUploadCleanupIT {
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

  private static S3Client s3() {
    return api.stack().s3Client();
  }

  private static List<String> stagedKeys(UUID account) {
    return s3()
        .listObjectsV2(r -> r.bucket(api.stack().uploadsBucket()).prefix("upload/" + account + "/"))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  private static List<String> uploadsInProgress(UUID account) {
    return s3()
        .listMultipartUploads(
            r -> r.bucket(api.stack().uploadsBucket()).prefix("upload/" + account + "/"))
        .uploads()
        .stream()
        .map(MultipartUpload::key)
        .toList();
  }

  /** A multipart upload with its first part uploaded and not completed. */
  private static void halfUploadedMultipart(String token) {
    Answer created =
        api.post(
            "/api/v1/files",
            token,
            Map.of("name", "big.csv", "sizeBytes", 6 * 1024 * 1024, "multipart", true));
    assertThat(created.status()).isEqualTo(201);
    String partUrl = created.body().get("parts").get(0).get("url").asText();
    api.putTo(partUrl, new byte[5 * 1024 * 1024]);
  }

  @Test
  void deletingAnAccountDeletesItsStagedUploads() {
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    fixtures.uploadedPendingFile(token);
    halfUploadedMultipart(token);
    assertThat(stagedKeys(account)).hasSize(1);
    assertThat(uploadsInProgress(account)).hasSize(1);

    Answer deleted =
        api.post("/api/v1/account/delete", token, Map.of("password", ApiHarness.PASSWORD));

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(stagedKeys(account)).isEmpty();
    assertThat(uploadsInProgress(account)).isEmpty();
  }

  @Test
  void deletingAPendingFileDeletesItsStagedBytes() {
    String token = api.newUser();
    UUID account = fixtures.accountId(token);
    String file = fixtures.uploadedPendingFile(token);
    halfUploadedMultipart(token);
    String multipart =
        api.get("/api/v1/files", token).body().get("items").findValues("id").stream()
            .map(id -> id.asText())
            .filter(id -> !id.equals(file))
            .findFirst()
            .orElseThrow();

    assertThat(api.delete("/api/v1/files/" + file, token).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/files/" + multipart, token).status()).isEqualTo(204);

    assertThat(stagedKeys(account)).isEmpty();
    assertThat(uploadsInProgress(account)).isEmpty();
  }
}
