package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.agent.processor.ModelRef;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The model cache against real S3: entries are named by the SHA-256 of the bytes downloaded, and a
 * model file that is not what its upload recorded never gets into the cache.
 */
@ExtendWith(KilnStackExtension.class)
class S3ModelFilesIT {
  private final AgentHarness harness;
  private final Path cache;
  private final S3ModelFiles models;

  S3ModelFilesIT(TestStack stack) {
    this.harness = new AgentHarness(stack);
    this.cache = stack.tempDir().resolve("models-" + UUID.randomUUID());
    this.models = new S3ModelFiles(harness.store, stack.uploadsBucket(), cache);
  }

  private static final byte[] GENUINE = zip("saved_model.pb", "genuine graph");
  private static final byte[] POISON = zip("saved_model.pb", "poisoned graph");

  private static byte[] zip(String name, String content) {
    try {
      return ModelZipTest.zip(name, content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Uploads like the API: PUT, then HEAD at completion records the ETag. */
  private ModelRef upload(String name, byte[] bytes) {
    String key = harness.upload(name, bytes);
    String etag =
        harness.store.head(harness.stack.uploadsBucket(), key).map(ObjectInfo::etag).orElseThrow();
    return ModelRef.of(key, etag);
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> list = Files.list(cache)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anotherUsersOverwrittenUploadOfTheSameBytesNeverReachesTheCache() throws Exception {
    ModelRef alice = upload("alice.zip", GENUINE);
    ModelRef bob = upload("bob.zip", GENUINE);
    assertThat(bob.etag()).isEqualTo(alice.etag()); // same bytes, same ETag
    // Bob completes his upload, then puts other bytes at his key with his still valid URL.
    harness.store.put(harness.stack.uploadsBucket(), bob.key(), POISON);

    assertThatThrownBy(() -> models.directory(bob))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("the model file " + bob.key() + " is not the file that was uploaded")
        .satisfies(e -> assertThat(((ProcessorException) e).retryable()).isFalse());
    Path aliceModel = models.directory(alice);

    assertThat(aliceModel.getFileName().toString()).isEqualTo("sha256-" + sha256(GENUINE));
    assertThat(aliceModel.resolve("saved_model.pb")).hasContent("genuine graph");
    assertThat(entries()).containsExactly("sha256-" + sha256(GENUINE));
    // and in the other order: Alice's cached model does not serve Bob's changed file
    assertThatThrownBy(() -> models.directory(bob)).isInstanceOf(ProcessorException.class);
    assertThat(models.directory(alice).resolve("saved_model.pb")).hasContent("genuine graph");
  }

  @Test
  void identicalBytesShareOneEntryAndDifferentBytesNeverDo() throws Exception {
    ModelRef first = upload("first.zip", GENUINE);
    ModelRef second = upload("second.zip", GENUINE);
    ModelRef other = upload("other.zip", POISON);

    assertThat(models.directory(second)).isEqualTo(models.directory(first));
    assertThat(models.directory(other)).isNotEqualTo(models.directory(first));
    assertThat(models.directory(other).resolve("saved_model.pb")).hasContent("poisoned graph");
    assertThat(entries())
        .containsExactlyInAnyOrder("sha256-" + sha256(GENUINE), "sha256-" + sha256(POISON));
  }

  @Test
  void aModelIsDownloadedOnceForAllShards() throws Exception {
    ModelRef model = upload("once.zip", GENUINE);
    Path first = models.directory(model);
    harness.store.delete(harness.stack.uploadsBucket(), model.key());

    assertThat(models.directory(model)).isEqualTo(first);
  }

  @Test
  void aRecordedSizeOrDigestThatDoesNotMatchFailsNamingTheFile() throws Exception {
    ModelRef model = upload("named.zip", GENUINE);

    assertThatThrownBy(() -> models.directory(model.withSize(GENUINE.length + 1L)))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining(model.key())
        .hasMessageContaining("the upload recorded " + (GENUINE.length + 1));
    assertThatThrownBy(() -> models.directory(model.withSha256(sha256(POISON))))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining(model.key())
        .hasMessageContaining("SHA-256");
    assertThat(entries()).isEmpty();

    Path named = models.directory(model.withSize(GENUINE.length).withSha256(sha256(GENUINE)));
    assertThat(named.getFileName().toString()).isEqualTo("sha256-" + sha256(GENUINE));
  }

  @Test
  void withoutARecordedEtagEachUseChecksTheCurrentObject() throws Exception {
    ModelRef model = ModelRef.of(upload("unrecorded.zip", GENUINE).key(), null);
    assertThat(models.directory(model).resolve("saved_model.pb")).hasContent("genuine graph");

    harness.store.put(harness.stack.uploadsBucket(), model.key(), POISON);

    assertThat(models.directory(model).resolve("saved_model.pb")).hasContent("poisoned graph");
    assertThat(entries()).hasSize(2);
  }

  @Test
  void aMissingModelFailsNotRetryable() {
    ModelRef missing = ModelRef.of(harness.owner + "/" + UUID.randomUUID() + "/gone.zip", "abc");
    assertThatThrownBy(() -> models.directory(missing))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(((ProcessorException) e).retryable()).isFalse());
  }
}
