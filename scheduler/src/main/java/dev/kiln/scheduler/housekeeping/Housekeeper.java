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
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is no longer needed: the parts of succeeded and cancelled jobs once {@code
 * partsRetention} has passed (failed jobs keep theirs, a retry needs them), and expired files that
 * no job names as input or model (outputs expire after {@code outputRetention}), and multipart
 * uploads left unfinished for a day. Used by one poller thread.
 */
public final class Housekeeper {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  private static final Duration STALE_UPLOAD = Duration.ofDays(1);

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
        store.delete(file.bucket(), file.objectKey());
        files.deleteForOwner(file.id(), file.ownerId());
      }
    }
    abortStaleUploads(now);
    return finished.size() == 50 || expired.size() == 50;
  }
}
