package dev.kiln.scheduler.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.db.FileDao;
import dev.kiln.model.FileState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Staged uploads (under {@code upload/}) do not outlive the pending files they were made for. */
@ExtendWith(KilnStackExtension.class)
class StagedUploadSweepIT {
  private static final byte[] BYTES = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
  private static StackClients clients;
  private static Jdbi jdbi;
  private static ObjectStore store;
  private static String bucket;
  private static Fixtures fixtures;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    store = clients.store();
    bucket = store.settings().uploadsBucket();
    fixtures = new Fixtures(jdbi, store);
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  private static Housekeeper at(Duration fromNow) {
    return new Housekeeper(
        jdbi, store, SchedulerSettings.defaults("hk"), Clock.offset(Clock.systemUTC(), fromNow));
  }

  /** A pending file whose bytes were staged (and, when asked, a multipart upload begun). */
  private static StoredFile pendingFile(UUID owner, Instant expiresAt, boolean multipart) {
    UUID id = UUID.randomUUID();
    String key = ObjectKeys.upload(owner, id, "rows.csv");
    StoredFile file =
        new StoredFile(
            id,
            owner,
            "rows.csv",
            bucket,
            key,
            BYTES.length,
            null,
            FileState.PENDING,
            Instant.now(),
            null,
            expiresAt);
    jdbi.onDemand(FileDao.class).insert(file);
    store.put(bucket, ObjectKeys.staging(key), BYTES);
    if (multipart) {
      store.createMultipartUpload(bucket, ObjectKeys.staging(key));
    }
    return file;
  }

  private static boolean staged(StoredFile file) {
    return store.head(bucket, ObjectKeys.staging(file.objectKey())).isPresent();
  }

  private static boolean uploading(String stagingKey) {
    return !store.uploadsInProgress(bucket, stagingKey).isEmpty();
  }

  @Test
  void anExpiredPendingFileTakesItsStagedBytesAndUploadWithIt() {
    UUID owner = fixtures.account();
    StoredFile file = pendingFile(owner, Instant.now().plus(Duration.ofHours(2)), true);
    assertThat(staged(file)).isTrue();

    at(Duration.ZERO).sweep();
    assertThat(staged(file)).as("not expired yet").isTrue();

    at(Duration.ofHours(3)).sweep();

    assertThat(staged(file)).isFalse();
    assertThat(uploading(ObjectKeys.staging(file.objectKey()))).isFalse();
    assertThat(jdbi.onDemand(FileDao.class).findById(file.id())).isEmpty();
  }

  @Test
  void stagedUploadsNoPendingFileRefersToAreSweptAfterADay() {
    UUID owner = fixtures.account();
    String orphan = ObjectKeys.staging(ObjectKeys.upload(owner, UUID.randomUUID(), "gone.csv"));
    store.put(bucket, orphan, BYTES);
    String orphanUpload =
        ObjectKeys.staging(ObjectKeys.upload(owner, UUID.randomUUID(), "big.csv"));
    store.createMultipartUpload(bucket, orphanUpload);
    StoredFile stillPending = pendingFile(owner, Instant.now().plus(Duration.ofDays(30)), true);
    String finalKey = fixtures.upload(owner, "kept.csv", "x\n").objectKey();

    at(Duration.ofHours(1)).sweep();
    assertThat(store.head(bucket, orphan)).as("younger than a day").isPresent();
    assertThat(uploading(orphanUpload)).isTrue();

    at(Duration.ofHours(25)).sweep();

    assertThat(store.head(bucket, orphan)).isEmpty();
    assertThat(uploading(orphanUpload)).isFalse();
    assertThat(staged(stillPending)).as("its file may still be completed").isTrue();
    assertThat(uploading(ObjectKeys.staging(stillPending.objectKey()))).isTrue();
    assertThat(store.head(bucket, finalKey)).as("files' own keys are not staged").isPresent();
  }
}
