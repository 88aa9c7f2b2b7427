package dev.kiln.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a file's readers get is fixed when its upload completes; quotas hold under concurrency. */
@ExtendWith(KilnStackExtension.class)
class UploadIntegrityIT {
  private static final long MIB = 1024L * 1024;

  private static ApiHarness api;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStack testStack) throws Exception {
    stack = testStack;
    api = ApiHarness.start(stack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theUploadUrlSignsTheLengthAndTheStoreRefusesAnyOther() {
    try (ObjectStore store = ObjectStore.create(settings())) {
      assertThat(store.signedPutHeaders(stack.uploadsBucket(), "upload/x", 12))
          .contains("content-length");
    }
    String token = api.newUser();
    Answer created = api.post("/api/v1/files", token, Map.of("name", "a.csv", "sizeBytes", 12));

    assertThat(refused(created.text("uploadUrl"), new byte[900_008])).isTrue();
    assertThat(refused(created.text("uploadUrl"), new byte[11])).isTrue();
    assertThat(api.putStatus(created.text("uploadUrl"), new byte[12])).isEqualTo(200);
  }

  /** A 403, or the store closing the connection without reading the body. */
  private static boolean refused(String url, byte[] body) {
    try {
      return api.putStatus(url, body) == 403;
    } catch (java.io.UncheckedIOException closed) {
      return true;
    }
  }

  @Test
  void aPutAfterCompletionChangesNothingAnyReaderGets() {
    String token = api.newUser();
    byte[] original = "id,text\n1,a\n".getBytes(StandardCharsets.UTF_8);
    Answer created =
        api.post("/api/v1/files", token, Map.of("name", "in.csv", "sizeBytes", original.length));
    String url = created.text("uploadUrl");
    String id = created.text("id");
    api.putTo(url, original);
    Answer completed = api.post("/api/v1/files/" + id + "/complete", token, null);
    assertThat(completed.status()).as(completed.raw().body()).isEqualTo(200);

    int later = api.putStatus(url, "id,text\n1,B\n".getBytes(StandardCharsets.UTF_8));
    Answer download = api.get("/api/v1/files/" + id + "/download", token);
    byte[] served = api.fetch(download.text("url"));

    assertThat(served).isEqualTo(original);
    String finalKey = URI.create(download.text("url")).getPath();
    assertThat(URI.create(url).getPath()).isNotEqualTo(finalKey);
    assertThat(finalKey).doesNotContain("/upload/");
    assertThat(later).isIn(200, 403);
    assertThat(api.get("/api/v1/files/" + id, token).text("etag"))
        .isEqualTo(completed.text("etag"));
  }

  @Test
  void deletingAFileRemovesItsStagedUploadToo() {
    String token = api.newUser();
    Answer created = api.post("/api/v1/files", token, Map.of("name", "gone.csv", "sizeBytes", 3));
    api.putTo(created.text("uploadUrl"), "abc".getBytes(StandardCharsets.UTF_8));
    String stagedKey = URI.create(created.text("uploadUrl")).getPath();
    stagedKey = stagedKey.substring(stagedKey.indexOf('/', 1) + 1);
    String key = stagedKey;

    Answer deleted = api.delete("/api/v1/files/" + created.text("id"), token);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(
            stack
                .s3Client()
                .listObjectsV2(r -> r.bucket(stack.uploadsBucket()).prefix(key))
                .keyCount())
        .isZero();
  }

  @Test
  void concurrentCreatesAreAcceptedOnlyAsFarAsTheQuotaGoes() throws Exception {
    String token = api.newUser();
    long size = 9 * MIB;
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Integer>> creates = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String name = "part-" + i + ".bin";
        creates.add(
            () ->
                api.post("/api/v1/files", token, Map.of("name", name, "sizeBytes", size)).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> status : pool.invokeAll(creates)) {
        statuses.add(status.get());
      }

      long fitting = 64 * MIB / size;
      assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(fitting);
      assertThat(statuses.stream().filter(s -> s == 413).count()).isEqualTo(10 - fitting);
    } finally {
      pool.shutdownNow();
    }
  }

  private static S3Settings settings() {
    var s3 = stack.s3();
    return S3Settings.compatible(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey())
        .withBuckets(stack.uploadsBucket(), stack.resultsBucket());
  }
}
