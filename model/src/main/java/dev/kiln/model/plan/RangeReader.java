package dev.kiln.model.plan;

import java.io.IOException;

/** Reads a byte range of an input, such as an S3 object through one ranged GET. */
@FunctionalInterface
public interface RangeReader {
  /** The {@code length} bytes from {@code offset} (fewer only at the end of the input). */
  byte[] read(long offset, int length) throws IOException;
}
