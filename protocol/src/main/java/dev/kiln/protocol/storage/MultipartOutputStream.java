package dev.kiln.protocol.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads what is written as a multipart upload, holding at most one part in memory. A stream
 * smaller than one part becomes a single PUT. {@link #abort()} (or a failed write) leaves nothing
 * behind. Not thread-safe.
 */
public final class MultipartOutputStream extends OutputStream {
  /** S3's smallest part size for every part but the last. */
  public static final int MIN_PART_BYTES = 5 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final byte[] part;
  private final List<CompletedPart> parts = new ArrayList<>();
  private int filled;
  private String uploadId;
  private long written;
  private boolean closed;

  MultipartOutputStream(S3Client s3, String bucket, String key, int partBytes) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.part = new byte[Math.max(partBytes, MIN_PART_BYTES)];
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == part.length) {
      flushPart();
    }
    part[filled++] = (byte) b;
    written++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (filled == part.length) {
        flushPart();
      }
      int chunk = Math.min(length, part.length - filled);
      System.arraycopy(bytes, offset, part, filled, chunk);
      filled += chunk;
      offset += chunk;
      length -= chunk;
      written += chunk;
    }
  }

  private void flushPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      String etag =
          s3.uploadPart(
                  r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                  RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      filled = 0;
    } catch (RuntimeException e) {
      abort();
      throw new IOException("upload of s3://" + bucket + "/" + key + " failed", e);
    }
  }

  /** Completes the upload; the object appears whole or not at all. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (uploadId == null) {
        s3.putObject(
            r -> r.bucket(bucket).key(key),
            RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled)));
        return;
      }
      if (filled > 0) {
        closed = false;
        flushPart();
        closed = true;
      }
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      abort();
      throw new IOException("upload of s3://" + bucket + "/" + key + " failed", e);
    }
  }

  /** Abandons the upload; nothing is left behind. Safe to call more than once. */
  public void abort() {
    closed = true;
    if (uploadId != null) {
      String id = uploadId;
      uploadId = null;
      try {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
      } catch (RuntimeException ignored) {
        // The bucket's lifecycle rule removes incomplete uploads the abort could not.
      }
    }
  }
}
