package dev.kiln.scheduler.housekeeping;

import dev.kiln.db.FileDao;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.db.SchedulerDao.JobRef;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is no longer needed: the parts of succeeded and cancelled jobs once {@code
 * partsRetention} has passed (failed jobs keep theirs, a retry needs them), expired files that no
 * job names as input or model (outputs expire after {@code outputRetention}) with their staged
 * uploads, multipart uploads left unfinished for a day, and staged uploads (under {@link
 * ObjectKeys#STAGING_PREFIX}) older than a day that no pending file refers to. Used by one poller
 * thread.
 */
public final class Housekeeper {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  private static final Duration STALE_UPLOAD = Duration.ofDays(1);
  private static final int STAGED_PER_SWEEP = 500;

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final SchedulerSettings settings;
  private final Clock clock;

  public Housekeeper(Jdbi jdbi, ObjectStore store, SchedulerSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Aborts multipart uploads in the results bucket begun more than a day ago: assemblies a crash or
   * a lost leadership interrupted before they could abort them (on AWS a bucket lifecycle rule does
   * the same; local S3 has none).
   */
  private void abortStaleUploads(Instant now) {
    String bucket = store.settings().resultsBucket();
    for (ObjectStore.UploadInProgress upload :
        store.uploadsStartedBefore(bucket, "", now.minus(STALE_UPLOAD))) {
      store.abortMultipartUpload(bucket, upload.key(), upload.uploadId());
      LOG.warn("aborted the upload of {} begun at {}", upload.key(), upload.initiated());
    }
  }

  /** One round; answers true when there may be more. */
  public boolean sweep() {
    Instant now = clock.instant();
    SchedulerDao dao = jdbi.onDemand(SchedulerDao.class);
    List<JobRef> finished = dao.partsToDelete(now.minus(settings.partsRetention()), 50);
    for (JobRef job : finished) {
      int deleted =
          store.deletePrefix(
              store.settings().resultsBucket(), ObjectKeys.partsPrefix(job.ownerId(), job.id()));
      dao.markPartsDeleted(job.id(), now);
      LOG.debug("deleted {} parts of job {}", deleted, job.id());
    }
    List<JobRef> expired = dao.expiredFiles(now, 50);
    FileDao files = jdbi.onDemand(FileDao.class);
    for (JobRef ref : expired) {
      StoredFile file = files.findById(ref.id()).orElse(null);
      if (file != null) {
        String staged = ObjectKeys.staging(file.objectKey());
        for (ObjectStore.UploadInProgress upload :
            store.uploadsStartedBefore(file.bucket(), staged, Instant.MAX)) {
          store.abortMultipartUpload(file.bucket(), upload.key(), upload.uploadId());
        }
        store.delete(file.bucket(), staged);
        store.delete(file.bucket(), file.objectKey());
        files.deleteForOwner(file.id(), file.ownerId());
      }
    }
    abortStaleUploads(now);
    int staged = deleteAbandonedStagedUploads(now);
    return finished.size() == 50 || expired.size() == 50 || staged == STAGED_PER_SWEEP;
  }

  /**
   * Deletes staged uploads older than a day that no pending file refers to (their file was deleted
   * or completed, or its account deleted, while a delete failed or an upload was still running),
   * and aborts such multipart uploads. The presigned URLs that could write there expired long
   * before. Answers how many objects it deleted.
   */
  private int deleteAbandonedStagedUploads(Instant now) {
    String bucket = store.settings().uploadsBucket();
    Instant before = now.minus(STALE_UPLOAD);
    List<String> keys =
        store.keysModifiedBefore(bucket, ObjectKeys.STAGING_PREFIX, before, STAGED_PER_SWEEP);
    Set<String> referred = pendingFileKeys(keys);
    int deleted = 0;
    for (String key : keys) {
      if (!referred.contains(ObjectKeys.stagedFileKey(key))) {
        store.delete(bucket, key);
        deleted++;
      }
    }
    List<ObjectStore.UploadInProgress> uploads =
        store.uploadsStartedBefore(bucket, ObjectKeys.STAGING_PREFIX, before);
    Set<String> uploading =
        pendingFileKeys(uploads.stream().map(ObjectStore.UploadInProgress::key).toList());
    for (ObjectStore.UploadInProgress upload : uploads) {
      if (!uploading.contains(ObjectKeys.stagedFileKey(upload.key()))) {
        store.abortMultipartUpload(bucket, upload.key(), upload.uploadId());
      }
    }
    if (deleted > 0) {
      LOG.info("deleted {} staged uploads no pending file refers to", deleted);
    }
    return deleted;
  }

  /** The file keys, among those these staging keys stand for, of files still pending. */
  private Set<String> pendingFileKeys(List<String> stagingKeys) {
    if (stagingKeys.isEmpty()) {
      return Set.of();
    }
    List<String> fileKeys = stagingKeys.stream().map(ObjectKeys::stagedFileKey).toList();
    return Set.copyOf(jdbi.onDemand(SchedulerDao.class).pendingFileKeys(fileKeys));
  }
}
