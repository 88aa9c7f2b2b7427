package dev.kiln.model.plan;

/** A planned shard: the byte range {@code [start, end)} of the input at {@code inputPosition}. */
public record ByteRange(int inputPosition, long start, long end) {
  public ByteRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
    }
  }

  public long length() {
    return end - start;
  }
}
