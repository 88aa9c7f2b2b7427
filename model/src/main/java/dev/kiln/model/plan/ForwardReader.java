package dev.kiln.model.plan;

import java.io.IOException;
import java.io.InputStream;

/**
 * A {@link RangeReader} over one stream of a {@link ByteSource} for reads that move forward: the
 * gap between two reads is skipped, not fetched again; a read behind the stream reopens it. Not
 * thread-safe.
 */
final class ForwardReader implements RangeReader, AutoCloseable {
  private final ByteSource source;
  private InputStream in;
  private long position;

  ForwardReader(ByteSource source) {
    this.source = source;
  }

  @Override
  public byte[] read(long offset, int length) throws IOException {
    if (in == null || offset < position) {
      close();
      in = source.open(offset);
      position = offset;
    }
    if (offset > position) {
      in.skipNBytes(offset - position);
      position = offset;
    }
    byte[] bytes = in.readNBytes(length);
    position += bytes.length;
    return bytes;
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      InputStream open = in;
      in = null;
      open.close();
    }
  }
}
