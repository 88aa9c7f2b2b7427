package dev.kiln.model.plan;

import java.io.IOException;
import java.io.InputStream;

/** An input that can be read from any byte offset, such as an S3 object through ranged GETs. */
@FunctionalInterface
public interface ByteSource {
  /**
   * The bytes of the input from {@code offset} on; the caller closes the stream, possibly before
   * its end.
   */
  InputStream open(long offset) throws IOException;
}
