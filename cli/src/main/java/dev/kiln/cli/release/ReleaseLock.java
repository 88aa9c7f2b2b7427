package dev.kiln.cli.release;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One release at a time per estate: an object in the ops bucket written only if absent (S3's
 * conditional write, {@code If-None-Match: *}), deleted when the release ends. A second release
 * finds it and is refused, told who holds it since when. A lock left by a process that was killed
 * outright stays until someone removes it ({@code kiln release unlock}). Thread-safe.
 */
public final class ReleaseLock implements AutoCloseable {

  /** Where the lock lives in the ops bucket. */
  public static final String KEY = "locks/release";

  private final S3Client s3;
  private final String bucket;
  private boolean held;

  private ReleaseLock(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * Takes the lock for {@code holder} (who and what, for the message another release prints).
   *
   * @throws IllegalStateException when another release holds it
   */
  public static ReleaseLock acquire(S3Client s3, String bucket, String holder, Clock clock) {
    ReleaseLock lock = new ReleaseLock(s3, bucket);
    String body = holder + " since " + clock.instant();
    try {
      s3.putObject(
          put -> put.bucket(bucket).key(KEY).ifNoneMatch("*").contentType("text/plain"),
          RequestBody.fromString(body, StandardCharsets.UTF_8));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        throw new IllegalStateException(
            "another release is running in this estate ("
                + holder(s3, bucket)
                + "); wait for it, or if it was killed run kiln release unlock");
      }
      throw e;
    }
    lock.held = true;
    return lock;
  }

  /** Who holds the lock, or a note that nobody does. */
  public static String holder(S3Client s3, String bucket) {
    try {
      return s3.getObjectAsBytes(get -> get.bucket(bucket).key(KEY)).asUtf8String();
    } catch (NoSuchKeyException e) {
      return "nobody holds the lock now";
    }
  }

  /** Removes the lock whoever holds it (after a release process was killed). */
  public static void breakLock(S3Client s3, String bucket) {
    s3.deleteObject(delete -> delete.bucket(bucket).key(KEY));
  }

  @Override
  public synchronized void close() {
    if (held) {
      held = false;
      breakLock(s3, bucket);
    }
  }
}
