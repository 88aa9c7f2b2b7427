package dev.kiln.agent;

import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link ShardRun} over a shard's batches into a {@link PartSink}: the loop shared by the
 * agent and by the plain-loop comparisons. Stateless.
 */
final class ShardExecutor {
  /** The counts of a finished shard. */
  record Counts(long records, long errors, long outputBytes) {}

  /** The shard was told to stop (cancelled, lease lost, or released on drain). */
  static final class StoppedException extends Exception {
    StoppedException() {
      super("stopped");
    }
  }

  /** Told after each batch: records so far and the offset of the last one read. */
  interface Progress {
    Progress NONE = (records, lastOffset) -> {};

    void madeProgress(long records, long lastOffset);
  }

  private ShardExecutor() {}

  static Counts run(ShardRun run, RecordBatches batches, PartSink sink, BooleanSupplier stop)
      throws ProcessorException, IOException, StoppedException {
    return run(run, batches, sink, stop, Progress.NONE);
  }

  static Counts run(
      ShardRun run, RecordBatches batches, PartSink sink, BooleanSupplier stop, Progress progress)
      throws ProcessorException, IOException, StoppedException {
    long records = 0;
    run.begin(sink);
    long[] offsets = new long[0];
    RecordBatches.Batch batch;
    while ((batch = batches.next()) != null) {
      if (stop.getAsBoolean()) {
        throw new StoppedException();
      }
      List<LineRecord> list = batch.records();
      if (offsets.length < list.size()) {
        offsets = new long[list.size()];
      }
      for (int i = 0; i < list.size(); i++) {
        offsets[i] = list.get(i).offset();
      }
      sink.batch(list, offsets);
      run.process(list, sink);
      records += list.size();
      if (!list.isEmpty()) {
        progress.madeProgress(records, list.get(list.size() - 1).offset());
      }
    }
    run.finish(sink);
    sink.finish();
    return new Counts(records, sink.errors(), sink.bytes());
  }
}
