package dev.kiln.model.plan;

import java.io.Closeable;
import java.io.IOException;

/** The records a shard owns, in input order. Not thread-safe. */
public interface RecordSource extends Closeable {
  /** The next owned record, or {@code null} when the shard has no more. */
  LineRecord next() throws IOException;

  /** The {@code \n} bytes in the shard's range; complete once {@link #next()} returned null. */
  long newlinesInRange();
}
