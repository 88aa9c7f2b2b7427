package dev.kiln.scheduler.core;

import dev.kiln.core.storage.MultipartOutputStream;
import dev.kiln.core.storage.ObjectInfo;
import dev.kiln.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Concatenates parts in order into one object: server-side with {@code UploadPartCopy} when every
 * part but the last is at least 5 MiB, streaming through this process otherwise. The object appears
 * whole or not at all. Thread-safe.
 */
public final class PartConcatenator {
  /** A part to concatenate and its size. */
  public record Part(String key, long size) {}

  /** How an output was made. */
  public enum Method {
    SERVER_SIDE_COPY,
    STREAMED
  }

  private static final int STREAM_PART_BYTES = 8 * 1024 * 1024;

  private final ObjectStore store;

  public PartConcatenator(ObjectStore store) {
    this.store = store;
  }

  /** Writes the parts into {@code bucket/key}; answers the method and the size written. */
  public Method concatenate(String bucket, List<Part> parts, String key) {
    List<Part> nonEmpty = parts.stream().filter(p -> p.size() > 0).toList();
    boolean copyable = !nonEmpty.isEmpty();
    for (int i = 0; i < nonEmpty.size() - 1; i++) {
      copyable &= nonEmpty.get(i).size() >= MultipartOutputStream.MIN_PART_BYTES;
    }
    if (copyable) {
      copy(bucket, nonEmpty, key);
      return Method.SERVER_SIDE_COPY;
    }
    stream(bucket, nonEmpty, key);
    return Method.STREAMED;
  }

  private void copy(String bucket, List<Part> parts, String key) {
    S3Client s3 = store.client();
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    try {
      List<CompletedPart> done = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        int number = i + 1;
        String source = parts.get(i).key();
        String etag =
            s3.uploadPartCopy(
                    r ->
                        r.sourceBucket(bucket)
                            .sourceKey(source)
                            .destinationBucket(bucket)
                            .destinationKey(key)
                            .uploadId(uploadId)
                            .partNumber(number))
                .copyPartResult()
                .eTag();
        done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      throw e;
    }
  }

  private void stream(String bucket, List<Part> parts, String key) {
    MultipartOutputStream out = store.create(bucket, key, STREAM_PART_BYTES);
    try {
      for (Part part : parts) {
        try (InputStream in = store.open(bucket, part.key())) {
          in.transferTo(out);
        }
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Size and ETag of what was written. */
  public ObjectInfo written(String bucket, String key) {
    return store
        .head(bucket, key)
        .orElseThrow(() -> new IllegalStateException("assembled output " + key + " is missing"));
  }
}
