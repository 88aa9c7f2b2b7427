package dev.kiln.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The bytes {@code [offset, offset + length)} of a file, read as a stream. Not thread-safe. */
public final class FileRegion extends InputStream {
  private final FileChannel channel;
  private long left;

  private FileRegion(FileChannel channel, long left) {
    this.channel = channel;
    this.left = left;
  }

  public static InputStream open(Path file, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      return new FileRegion(channel, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int from, int count) throws IOException {
    if (left <= 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(buffer, from, (int) Math.min(count, left)));
    if (n > 0) {
      left -= n;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
