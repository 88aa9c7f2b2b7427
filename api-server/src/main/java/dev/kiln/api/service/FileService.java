package dev.kiln.api.service;

import dev.kiln.api.db.UploadDao;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.CompleteUploadRequest;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.FileCreateRequest;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.UploadView;
import dev.kiln.db.FileDao;
import dev.kiln.db.FileReads;
import dev.kiln.db.JobDao;
import dev.kiln.model.FileState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads straight to S3: presigned single PUTs and multipart uploads, completion checked with a
 * HEAD (size, ETag), listing, download links and deletion. Every query names the owner, so another
 * account's file answers 404. Thread-safe.
 */
public final class FileService {
  private static final Logger LOG = LoggerFactory.getLogger(FileService.class);

  /** S3 allows at most this many parts. */
  static final int MAX_PARTS = 10_000;

  /** S3 copies at most 5 GiB in one request; larger objects are copied in parts. */
  static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;

  /** Upload limits and timings. */
  public record Limits(
      long multipartThreshold,
      long partSize,
      long maxFileSize,
      Duration retention,
      Duration presignTtl) {}

  private final Jdbi jdbi;
  private final FileDao files;
  private final UploadDao uploads;
  private final JobDao jobs;
  private final ObjectStore store;
  private final Limits limits;
  private final QuotaLookup quotas;
  private final Clock clock;

  public FileService(Jdbi jdbi, ObjectStore store, Limits limits, QuotaLookup quotas, Clock clock) {
    this.jdbi = jdbi;
    this.files = jdbi.onDemand(FileDao.class);
    this.uploads = jdbi.onDemand(UploadDao.class);
    this.jobs = jdbi.onDemand(JobDao.class);
    this.store = store;
    this.limits = limits;
    this.quotas = quotas;
    this.clock = clock;
  }

  /** The storage quota of an account in bytes. */
  @FunctionalInterface
  public interface QuotaLookup {
    long quotaBytes(UUID accountId);
  }

  /** Registers a pending file and says how to upload it. */
  public UploadView create(UUID ownerId, FileCreateRequest request) {
    long size = request.sizeBytes();
    if (size > limits.maxFileSize()) {
      throw ApiException.tooLarge(
          "A file may have at most "
              + limits.maxFileSize()
              + " bytes; split it into smaller files.");
    }
    long quota = quotas.quotaBytes(ownerId);
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    String bucket = store.settings().uploadsBucket();
    String key = ObjectKeys.upload(ownerId, id, request.name());
    StoredFile file =
        new StoredFile(
            id,
            ownerId,
            request.name(),
            bucket,
            key,
            size,
            null,
            FileState.PENDING,
            now,
            null,
            now.plus(limits.retention()));
    if (!files.insertWithinQuota(file, quota)) {
      throw ApiException.quotaExceeded(
          "This upload of "
              + size
              + " bytes would exceed your storage quota ("
              + files.bytesUsedBy(ownerId)
              + " of "
              + quota
              + " bytes used); delete files you no longer need.");
    }
    String staging = stagingKey(key);
    boolean multipart = request.wantsMultipart() || size >= limits.multipartThreshold();
    Instant urlsExpire = now.plus(limits.presignTtl());
    if (!multipart) {
      return new UploadView(
          id,
          file.name(),
          file.state().name(),
          size,
          file.expiresAt(),
          store.presignPut(bucket, staging, size, limits.presignTtl()),
          null,
          null,
          urlsExpire,
          null);
    }
    long partSize = partSizeFor(size);
    String uploadId;
    try {
      uploadId = store.createMultipartUpload(bucket, staging);
    } catch (RuntimeException e) {
      files.deleteForOwner(id, ownerId);
      throw e;
    }
    uploads.setUploadId(id, ownerId, uploadId);
    int count = (int) ((size + partSize - 1) / partSize);
    List<UploadView.PartUrl> parts = new ArrayList<>(count);
    for (int number = 1; number <= count; number++) {
      long length = Math.min(partSize, size - (number - 1) * partSize);
      parts.add(
          new UploadView.PartUrl(
              number,
              store.presignUploadPart(
                  bucket, staging, uploadId, number, length, limits.presignTtl())));
    }
    return new UploadView(
        id,
        file.name(),
        file.state().name(),
        size,
        file.expiresAt(),
        null,
        partSize,
        parts,
        urlsExpire,
        null);
  }

  /**
   * Where the bytes of a pending file are uploaded. No reader ever opens this key and no upload URL
   * ever names the file's own key: completion copies the checked bytes from here to the file's key,
   * so what readers get is fixed once the file is READY.
   */
  static String stagingKey(String objectKey) {
    return ObjectKeys.staging(objectKey);
  }

  /** The configured part size, grown when the file would need more than 10,000 parts. */
  long partSizeFor(long size) {
    long partSize = Math.max(limits.partSize(), 5L * 1024 * 1024);
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(partSize, needed);
  }

  /**
   * Finishes an upload: completes the multipart upload if there is one, checks the staged object
   * with a HEAD (present, not empty, of the declared size, ETag as given), copies exactly that
   * version to the file's own key, deletes the staged copy and marks the file READY. Completing a
   * READY file again returns it unchanged.
   */
  public FileView complete(UUID ownerId, UUID fileId, CompleteUploadRequest request) {
    StoredFile file = require(ownerId, fileId);
    if (file.isReady()) {
      return view(file);
    }
    String staging = stagingKey(file.objectKey());
    Optional<String> uploadId = uploads.uploadId(fileId, ownerId);
    String expectedEtag = request == null ? null : request.etag();
    if (uploadId.isPresent()) {
      expectedEtag = completeParts(file, staging, uploadId.get(), request);
    }
    ObjectInfo info =
        store
            .head(file.bucket(), staging)
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "The file has not been uploaded yet: PUT its bytes to the upload URL,"
                            + " then complete it."));
    if (info.sizeBytes() == 0) {
      deleteObjects(file);
      files.deleteForOwner(fileId, ownerId);
      throw ApiException.validation(
          "The file is empty (0 bytes); upload a file with at least one record. The empty"
              + " upload was removed.");
    }
    if (info.sizeBytes() != file.sizeBytes()) {
      throw ApiException.validation(
          "The uploaded object has "
              + info.sizeBytes()
              + " bytes but "
              + file.sizeBytes()
              + " were declared; upload the whole file again to the same URL, or create the"
              + " file again with the right size.");
    }
    if (expectedEtag != null && !stripQuotes(expectedEtag).equals(info.etag())) {
      throw ApiException.validation(
          "The stored object's ETag is "
              + info.etag()
              + ", not "
              + stripQuotes(expectedEtag)
              + "; the upload was changed or corrupted. Upload it again.");
    }
    String etag =
        store
            .copyIfUnchanged(
                file.bucket(),
                staging,
                info.etag(),
                info.sizeBytes(),
                file.objectKey(),
                SINGLE_COPY_LIMIT,
                partSizeFor(info.sizeBytes()))
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "The upload changed while it was being completed; complete it again."));
    int updated = files.markReady(fileId, ownerId, info.sizeBytes(), etag, clock.instant());
    deleteQuietly(file.bucket(), staging);
    if (updated == 0) {
      Optional<StoredFile> now = files.findForOwner(fileId, ownerId);
      if (now.isEmpty()) {
        deleteQuietly(file.bucket(), file.objectKey());
        throw ApiException.notFound("File " + fileId + " was deleted while it was completed.");
      }
      if (!now.get().isReady()) {
        throw ApiException.conflict("The file changed while it was being completed; retry.");
      }
    }
    return view(require(ownerId, fileId));
  }

  /** Completes the staged multipart upload; answers its ETag. */
  private String completeParts(
      StoredFile file, String staging, String uploadId, CompleteUploadRequest request) {
    if (request == null || request.parts() == null || request.parts().isEmpty()) {
      throw ApiException.validation(
          "This file is uploaded in parts: send 'parts' with every part's number and the ETag"
              + " S3 returned for it.");
    }
    Map<Integer, String> etags = new LinkedHashMap<>();
    request.parts().forEach(part -> etags.put(part.partNumber(), part.etag()));
    String etag;
    try {
      etag = store.completeMultipartUpload(file.bucket(), staging, uploadId, etags);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw ApiException.conflict(
            "The multipart upload no longer exists (aborted or expired); create the file"
                + " again.");
      }
      if (e.statusCode() == 400) {
        throw ApiException.validation(
            "S3 refused the parts ("
                + (e.awsErrorDetails() == null ? "invalid" : e.awsErrorDetails().errorCode())
                + "): list every uploaded part once, in any order, with the ETag header S3"
                + " returned when you PUT it.");
      }
      throw e;
    }
    uploads.setUploadId(file.id(), file.ownerId(), null);
    return etag;
  }

  /** Abandons a pending multipart upload and deletes the file. */
  public void abort(UUID ownerId, UUID fileId) {
    StoredFile file = require(ownerId, fileId);
    if (file.isReady()) {
      throw ApiException.conflict(
          "The upload is already complete; delete the file instead (DELETE /api/v1/files/"
              + fileId
              + ").");
    }
    delete(ownerId, fileId);
  }

  public FileView get(UUID ownerId, UUID fileId) {
    return view(require(ownerId, fileId));
  }

  public Page<FileView> list(UUID ownerId, Cursor cursor, int limit) {
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) -> files.pageForOwner(ownerId, createdAt, id, rows),
            file -> new Cursor(file.createdAt(), file.id()))
        .toPage(FileService::view);
  }

  /** A presigned GET of a READY file. */
  public DownloadView download(UUID ownerId, UUID fileId) {
    StoredFile file = require(ownerId, fileId);
    if (!file.isReady()) {
      throw ApiException.conflict("The file is not uploaded yet (PENDING); complete it first.");
    }
    return new DownloadView(
        file.id(),
        file.name(),
        file.sizeBytes(),
        store.presignGet(file.bucket(), file.objectKey(), file.name(), limits.presignTtl()),
        clock.instant().plus(limits.presignTtl()));
  }

  /** Deletes the file and its object; 409 while a job still uses it. */
  public void delete(UUID ownerId, UUID fileId) {
    StoredFile file = require(ownerId, fileId);
    List<UUID> users = jobs.jobsUsingFile(ownerId, fileId);
    if (!users.isEmpty()) {
      throw ApiException.conflict(
          "The file is used by job(s) "
              + users.stream().map(UUID::toString).collect(Collectors.joining(", "))
              + "; delete those jobs first.");
    }
    uploads
        .uploadId(fileId, ownerId)
        .ifPresent(
            id -> store.abortMultipartUpload(file.bucket(), stagingKey(file.objectKey()), id));
    files.deleteForOwner(fileId, ownerId);
    deleteObjects(file);
  }

  /** The owner's READY file, or 404 / 409 as a job input would need. */
  public StoredFile requireReady(UUID ownerId, UUID fileId, String role) {
    StoredFile file =
        jdbi.withHandle(handle -> FileReads.findForOwner(handle, fileId, ownerId))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "No file "
                            + fileId
                            + " in your account (for '"
                            + role
                            + "'); upload it first with POST /api/v1/files."));
    if (!file.isReady()) {
      throw ApiException.conflict(
          "File " + fileId + " is not uploaded yet (PENDING); complete it before using it.");
    }
    return file;
  }

  StoredFile require(UUID ownerId, UUID fileId) {
    return files
        .findForOwner(fileId, ownerId)
        .orElseThrow(() -> ApiException.notFound("No file " + fileId + " in your account."));
  }

  /** Deletes the file's object and its staged upload. */
  private void deleteObjects(StoredFile file) {
    deleteQuietly(file.bucket(), stagingKey(file.objectKey()));
    deleteQuietly(file.bucket(), file.objectKey());
  }

  private void deleteQuietly(String bucket, String key) {
    try {
      store.delete(bucket, key);
    } catch (RuntimeException e) {
      LOG.warn("Could not delete s3://{}/{}", bucket, key, e);
    }
  }

  static String stripQuotes(String etag) {
    String trimmed = etag.strip();
    return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
        ? trimmed.substring(1, trimmed.length() - 1)
        : trimmed;
  }

  public static FileView view(StoredFile file) {
    return new FileView(
        file.id(),
        file.name(),
        file.state().name(),
        file.sizeBytes(),
        file.etag(),
        file.createdAt(),
        file.completedAt(),
        file.expiresAt());
  }
}
