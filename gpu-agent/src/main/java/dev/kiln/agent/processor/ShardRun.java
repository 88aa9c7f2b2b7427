package dev.kiln.agent.processor;

import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.util.List;

/**
 * The processing of one shard: {@link #begin}, then {@link #process} once per batch of records in
 * input order, then {@link #finish}, then {@link #close} (always, also after a failure). Used by
 * one thread at a time.
 */
public interface ShardRun extends AutoCloseable {
  /** Writes what comes before the first record, such as a CSV header on an input's first shard. */
  default void begin(OutputSink out) throws ProcessorException, IOException {}

  /**
   * Processes one batch (at most the job's batch size, never empty). Each good record writes its
   * output line(s) to {@code out}; each bad one calls {@link OutputSink#error} and the run goes on.
   * Throw {@link ProcessorException} only when the whole shard cannot go on.
   */
  void process(List<LineRecord> batch, OutputSink out) throws ProcessorException, IOException;

  /** Writes what comes after the last record; nothing by default. */
  default void finish(OutputSink out) throws ProcessorException, IOException {}

  @Override
  default void close() {}
}
