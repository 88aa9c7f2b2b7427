package dev.kiln.protocol.storage;

import dev.kiln.protocol.release.ReleaseLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Kiln's view of S3: presigned URLs, HEAD, ranged reads, streaming multipart writes and deletes.
 * Thread-safe; one per process.
 */
public final class ObjectStore implements AutoCloseable {
  private final S3Client s3;
  private final S3Presigner presigner;
  private final S3Settings settings;

  public ObjectStore(S3Client s3, S3Presigner presigner, S3Settings settings) {
    this.s3 = s3;
    this.presigner = presigner;
    this.settings = settings;
  }

  /** Builds the clients for {@code settings}. */
  public static ObjectStore create(S3Settings settings) {
    return new ObjectStore(S3Clients.client(settings), S3Clients.presigner(settings), settings);
  }

  /** A store whose requests are signed with {@code credentials} (e.g. the instance profile). */
  public static ObjectStore create(S3Settings settings, AwsCredentialsProvider credentials) {
    return new ObjectStore(
        S3Clients.client(settings, credentials),
        S3Clients.presigner(settings, credentials),
        settings);
  }

  public S3Settings settings() {
    return settings;
  }

  /** Whether {@code bucket} exists and these credentials may read it (health checks). */
  public boolean bucketExists(String bucket) {
    try {
      s3.headBucket(r -> r.bucket(bucket));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }

  /** The release records kept in {@code bucket}. */
  public ReleaseLog releaseLog(String bucket) {
    return new ReleaseLog(s3, bucket);
  }

  /** Copies {@code sourceKey} to {@code targetKey} inside {@code bucket}, server-side. */
  public void copy(String bucket, String sourceKey, String targetKey) {
    s3.copyObject(
        r ->
            r.sourceBucket(bucket)
                .sourceKey(sourceKey)
                .destinationBucket(bucket)
                .destinationKey(targetKey));
  }

  /**
   * Copies {@code sourceKey} server-side into an upload of {@code targetKey} as part {@code
   * partNumber}; answers the part's ETag for {@link #completeMultipartUpload}.
   */
  public String copyPart(
      String bucket, String sourceKey, String targetKey, String uploadId, int partNumber) {
    return s3.uploadPartCopy(
            r ->
                r.sourceBucket(bucket)
                    .sourceKey(sourceKey)
                    .destinationBucket(bucket)
                    .destinationKey(targetKey)
                    .uploadId(uploadId)
                    .partNumber(partNumber))
        .copyPartResult()
        .eTag();
  }

  /**
   * A URL that lets its holder PUT exactly this object, of exactly {@code contentLength} bytes, for
   * {@code ttl}: the length is a signed header, so S3 refuses a body of any other size.
   */
  public URI presignPut(String bucket, String key, long contentLength, Duration ttl) {
    return presignedPut(bucket, key, contentLength, ttl).url;
  }

  /** The headers a presigned PUT of {@code contentLength} bytes signs (for tests and clients). */
  public java.util.Set<String> signedPutHeaders(String bucket, String key, long contentLength) {
    return presignedPut(bucket, key, contentLength, Duration.ofMinutes(1)).signedHeaders;
  }

  private SignedUrl presignedPut(String bucket, String key, long contentLength, Duration ttl) {
    var presigned =
        presigner.presignPutObject(
            r ->
                r.signatureDuration(ttl)
                    .putObjectRequest(p -> p.bucket(bucket).key(key).contentLength(contentLength)));
    return new SignedUrl(
        URI.create(presigned.url().toString()), presigned.signedHeaders().keySet());
  }

  private record SignedUrl(URI url, java.util.Set<String> signedHeaders) {}

  /**
   * Copies {@code sourceKey} to {@code targetKey} server-side only if the source still has ETag
   * {@code sourceEtag} (so what is copied is what was checked); answers the copy's ETag, or empty
   * when the source changed or vanished. Sources over {@code singleCopyLimit} bytes are copied as a
   * multipart copy in ranges of {@code partBytes} (S3 copies at most 5 GiB in one request).
   */
  public Optional<String> copyIfUnchanged(
      String bucket,
      String sourceKey,
      String sourceEtag,
      long sizeBytes,
      String targetKey,
      long singleCopyLimit,
      long partBytes) {
    String match = sourceEtag.startsWith("\"") ? sourceEtag : "\"" + sourceEtag + "\"";
    try {
      if (sizeBytes <= singleCopyLimit) {
        return Optional.of(
            unquote(
                s3.copyObject(
                        r ->
                            r.sourceBucket(bucket)
                                .sourceKey(sourceKey)
                                .copySourceIfMatch(match)
                                .destinationBucket(bucket)
                                .destinationKey(targetKey))
                    .copyObjectResult()
                    .eTag()));
      }
      String uploadId = createMultipartUpload(bucket, targetKey);
      try {
        java.util.Map<Integer, String> etags = new java.util.TreeMap<>();
        int number = 1;
        for (long from = 0; from < sizeBytes; from += partBytes, number++) {
          long last = Math.min(sizeBytes, from + partBytes) - 1;
          String range = "bytes=" + from + "-" + last;
          int part = number;
          etags.put(
              part,
              s3.uploadPartCopy(
                      r ->
                          r.sourceBucket(bucket)
                              .sourceKey(sourceKey)
                              .copySourceIfMatch(match)
                              .copySourceRange(range)
                              .destinationBucket(bucket)
                              .destinationKey(targetKey)
                              .uploadId(uploadId)
                              .partNumber(part))
                  .copyPartResult()
                  .eTag());
        }
        return Optional.of(completeMultipartUpload(bucket, targetKey, uploadId, etags));
      } catch (RuntimeException e) {
        abortMultipartUpload(bucket, targetKey, uploadId);
        throw e;
      }
    } catch (NoSuchKeyException gone) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A URL that downloads this object under {@code downloadName} for {@code ttl}. */
  public URI presignGet(String bucket, String key, String downloadName, Duration ttl) {
    String disposition = "attachment; filename=\"" + ObjectKeys.sanitise(downloadName) + "\"";
    return URI.create(
        presigner
            .presignGetObject(
                r ->
                    r.signatureDuration(ttl)
                        .getObjectRequest(
                            g -> g.bucket(bucket).key(key).responseContentDisposition(disposition)))
            .url()
            .toString());
  }

  /** Size and ETag of an object, or empty when it does not exist. */
  public Optional<ObjectInfo> head(String bucket, String key) {
    try {
      var head = s3.headObject(r -> r.bucket(bucket).key(key));
      return Optional.of(new ObjectInfo(head.contentLength(), unquote(head.eTag())));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Opens the bytes {@code [from, toExclusive)} of an object; {@code toExclusive < 0} reads to the
   * end. The caller closes the stream (closing early aborts the transfer).
   */
  public InputStream openRange(String bucket, String key, long from, long toExclusive) {
    String range = "bytes=" + from + "-" + (toExclusive < 0 ? "" : String.valueOf(toExclusive - 1));
    ResponseInputStream<GetObjectResponse> in =
        s3.getObject(r -> r.bucket(bucket).key(key).range(range));
    return in;
  }

  /** Reads the whole of {@code [from, toExclusive)} (for small reads such as a CSV header). */
  public byte[] readRange(String bucket, String key, long from, long toExclusive) {
    if (toExclusive <= from) {
      return new byte[0];
    }
    try (InputStream in = openRange(bucket, key, from, toExclusive)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a whole object. */
  public InputStream open(String bucket, String key) {
    return s3.getObject(r -> r.bucket(bucket).key(key));
  }

  /** Reads the whole object, telling its ETag and length as S3 answered them. */
  public Download download(String bucket, String key) {
    return new Download(s3.getObject(r -> r.bucket(bucket).key(key)));
  }

  public void put(String bucket, String key, byte[] bytes) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  /**
   * A stream that uploads what is written to it as a multipart upload of {@code partBytes} parts;
   * nothing is visible until {@link MultipartOutputStream#close()} completes it.
   */
  public MultipartOutputStream create(String bucket, String key, int partBytes) {
    return new MultipartOutputStream(s3, bucket, key, partBytes);
  }

  public void delete(String bucket, String key) {
    s3.deleteObject(r -> r.bucket(bucket).key(key));
  }

  /** Deletes every object under {@code prefix}; returns how many. */
  public int deletePrefix(String bucket, String prefix) {
    int deleted = 0;
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(continuation));
      List<ObjectIdentifier> ids = new ArrayList<>();
      for (S3Object object : page.contents()) {
        ids.add(ObjectIdentifier.builder().key(object.key()).build());
      }
      if (!ids.isEmpty()) {
        s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(ids).build()));
        deleted += ids.size();
      }
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    return deleted;
  }

  /** Keys under {@code prefix} last modified before {@code before}, at most {@code limit}. */
  public List<String> keysModifiedBefore(String bucket, String prefix, Instant before, int limit) {
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).continuationToken(continuation));
      for (S3Object object : page.contents()) {
        if (object.lastModified() != null && object.lastModified().isBefore(before)) {
          keys.add(object.key());
          if (keys.size() >= limit) {
            return keys;
          }
        }
      }
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    return keys;
  }

  /** Starts a multipart upload that a client fills through presigned part URLs; its upload id. */
  public String createMultipartUpload(String bucket, String key) {
    return s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
  }

  /**
   * A URL that lets its holder PUT part {@code partNumber} (1..10000) of an upload, of exactly
   * {@code contentLength} bytes (a signed header).
   */
  public URI presignUploadPart(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      long contentLength,
      Duration ttl) {
    return URI.create(
        presigner
            .presignUploadPart(
                r ->
                    r.signatureDuration(ttl)
                        .uploadPartRequest(
                            p ->
                                p.bucket(bucket)
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(partNumber)
                                    .contentLength(contentLength)))
            .url()
            .toString());
  }

  /**
   * Completes a multipart upload from the parts' numbers and ETags (as S3 returned them on each
   * part PUT); returns the object's ETag without quotes. S3 refuses a wrong or missing part with an
   * {@link S3Exception} (status 400, code {@code InvalidPart} or {@code InvalidPartOrder}).
   */
  public String completeMultipartUpload(
      String bucket, String key, String uploadId, java.util.Map<Integer, String> etagsByPart) {
    List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    new java.util.TreeMap<>(etagsByPart)
        .forEach(
            (number, etag) ->
                parts.add(
                    software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                        .partNumber(number)
                        .eTag(etag.startsWith("\"") ? etag : "\"" + etag + "\"")
                        .build()));
    return unquote(
        s3.completeMultipartUpload(
                r ->
                    r.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)))
            .eTag());
  }

  /** The keys of multipart uploads begun and neither completed nor aborted under {@code prefix}. */
  public List<String> uploadsInProgress(String bucket, String prefix) {
    return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix)).uploads().stream()
        .map(upload -> upload.key())
        .toList();
  }

  /** A multipart upload begun and neither completed nor aborted. */
  public record UploadInProgress(String key, String uploadId, Instant initiated) {}

  /** The multipart uploads under {@code prefix} begun before {@code before} (up to 1,000). */
  public List<UploadInProgress> uploadsStartedBefore(String bucket, String prefix, Instant before) {
    return s3.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix)).uploads().stream()
        .filter(upload -> upload.initiated() != null && upload.initiated().isBefore(before))
        .map(upload -> new UploadInProgress(upload.key(), upload.uploadId(), upload.initiated()))
        .toList();
  }

  /** Abandons a multipart upload and its parts; an unknown upload id is ignored. */
  public void abortMultipartUpload(String bucket, String key, String uploadId) {
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException gone) {
      // Already completed or aborted.
    }
  }

  /** Creates the bucket if it is missing (local mode and tests; on AWS Terraform does it). */
  public void ensureBucket(String bucket) {
    try {
      s3.headBucket(r -> r.bucket(bucket));
    } catch (S3Exception e) {
      s3.createBucket(r -> r.bucket(bucket));
    }
  }

  static String unquote(String etag) {
    if (etag == null) {
      return null;
    }
    return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
