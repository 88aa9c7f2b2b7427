package dev.kiln.cli.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Counts, digests and (optionally) paces the bytes read through it: the progress bar, the MD5 that
 * is checked against S3's ETag, and {@code --limit-rate}. Not thread-safe.
 */
final class MeteredStream extends FilterInputStream {
  private final MessageDigest digest;
  private final LongConsumer counted;
  private final RateLimit limit;

  MeteredStream(InputStream in, MessageDigest digest, LongConsumer counted, RateLimit limit) {
    super(in);
    this.digest = digest;
    this.counted = counted;
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, Math.min(length, 64 * 1024));
    if (n > 0) {
      if (limit != null) {
        try {
          limit.acquire(n);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
      digest.update(buffer, offset, n);
      counted.accept(n);
    }
    return n;
  }
}
