package dev.kiln.agent;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input that reopens itself where it broke off: when a read fails (S3 closed an idle connection
 * while the shard waited behind another one, a network blip), the rest is fetched with a new ranged
 * request from the first unread byte, up to {@code maxResumes} times in all. Not thread-safe.
 */
final class ResumingInputStream extends InputStream {
  /** Opens the input from an absolute offset. */
  @FunctionalInterface
  interface RangeOpener {
    InputStream open(long from) throws IOException;
  }

  private final RangeOpener opener;
  private final int maxResumes;
  private long position;
  private InputStream in;
  private int resumes;

  ResumingInputStream(RangeOpener opener, long from, int maxResumes) {
    this.opener = opener;
    this.position = from;
    this.maxResumes = maxResumes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    while (true) {
      try {
        if (in == null) {
          in = opener.open(position);
        }
        int n = in.read(buffer, offset, length);
        if (n > 0) {
          position += n;
        }
        return n;
      } catch (IOException e) {
        if (resumes >= maxResumes || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        resumes++;
        closeQuietly();
      }
    }
  }

  /** How many times the input was reopened. */
  int resumes() {
    return resumes;
  }

  private void closeQuietly() {
    InputStream old = in;
    in = null;
    if (old != null) {
      try {
        if (old instanceof software.amazon.awssdk.core.ResponseInputStream<?> response) {
          response.abort();
        }
        old.close();
      } catch (IOException | RuntimeException ignored) {
        // It is replaced.
      }
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
