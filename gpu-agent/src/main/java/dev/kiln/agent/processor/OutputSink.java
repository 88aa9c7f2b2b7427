package dev.kiln.agent.processor;

import java.io.IOException;

/** Where a {@link ShardRun} writes. Used by one thread at a time. */
public interface OutputSink {
  /** Writes one output record; the sink adds the {@code '\n'}. */
  void write(String record) throws IOException;

  /**
   * Records that the input record at byte {@code offset} failed; it goes to the shard's error part
   * with its line number within the shard, and counts against the job's error rate.
   */
  void error(long offset, String message) throws IOException;
}
