package dev.kiln.model.plan;

import java.io.IOException;
import java.util.Arrays;

/**
 * A {@link RangeReader} that fetches at least {@code chunkBytes} at a time and answers reads that
 * fall inside the last chunk from memory: walking the 512-byte headers of a tar archive of small
 * files then costs one fetch per chunk, not one per header. Not thread-safe.
 */
public final class ChunkedRangeReader implements RangeReader {
  private final RangeReader reader;
  private final long size;
  private final int chunkBytes;
  private byte[] chunk = new byte[0];
  private long chunkStart = -1;
  private int fetches;

  public ChunkedRangeReader(RangeReader reader, long size, int chunkBytes) {
    this.reader = reader;
    this.size = size;
    this.chunkBytes = chunkBytes;
  }

  @Override
  public byte[] read(long offset, int length) throws IOException {
    if (chunkStart < 0 || offset < chunkStart || offset + length > chunkStart + chunk.length) {
      int want = (int) Math.min(Math.max(length, chunkBytes), Math.max(0, size - offset));
      chunk = reader.read(offset, want);
      chunkStart = offset;
      fetches++;
    }
    int from = (int) (offset - chunkStart);
    return Arrays.copyOfRange(chunk, from, Math.min(chunk.length, from + length));
  }

  /** How many reads went to the underlying reader. */
  public int fetches() {
    return fetches;
  }
}
