package dev.kiln.agent;

import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.agent.processor.ShardContext;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.InputFormat;
import dev.kiln.model.plan.ByteSource;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.model.plan.RecordSyntax;
import dev.kiln.protocol.parquet.ParquetRows;
import dev.kiln.protocol.queue.ShardTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one shard through the agent's own pipeline (read-ahead batches, the processor, the part
 * writer) from a local source into local streams, without a queue or S3: for benchmarks, tools and
 * tests. Stateless.
 */
public final class LocalShardRunner {
  /** What a run did and how long it took. */
  public record Outcome(long records, long errors, long outputBytes, double seconds) {
    public double recordsPerSecond() {
      return seconds <= 0 ? 0 : records / seconds;
    }
  }

  private LocalShardRunner() {}

  /** Runs the shard {@code task} over a local file holding the whole input object. */
  public static Outcome run(
      Processor processor,
      ShardTask task,
      Path input,
      ModelFiles models,
      int batchSize,
      int maxRecordBytes,
      OutputStream out,
      OutputStream errors)
      throws ProcessorException, IOException {
    return run(
        processor,
        task,
        from -> {
          FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
          channel.position(from);
          return Channels.newInputStream(channel);
        },
        models,
        batchSize,
        maxRecordBytes,
        out,
        errors);
  }

  /** Runs the shard over {@code source}, the whole input readable from any offset. */
  public static Outcome run(
      Processor processor,
      ShardTask task,
      ByteSource source,
      ModelFiles models,
      int batchSize,
      int maxRecordBytes,
      OutputStream out,
      OutputStream errors)
      throws ProcessorException, IOException {
    InputFormat format = InputFormat.parse(task.format()).orElse(InputFormat.TEXT);
    boolean headed = format == InputFormat.CSV || format == InputFormat.PARQUET;
    List<String> columns =
        headed && task.header() != null && !task.header().isEmpty()
            ? Csv.split(task.header())
            : List.of();
    ExecutorService io = Executors.newSingleThreadExecutor();
    long started = System.nanoTime();
    try (RecordBatches batches =
            format == InputFormat.PARQUET
                ? new RecordBatches(
                    () ->
                        new ParquetRows(
                            ranges(source), task.objectSize(), task.start(), task.end()),
                    batchSize,
                    4L * 1024 * 1024,
                    2,
                    io)
                : new RecordBatches(
                    source,
                    task.start(),
                    task.end(),
                    format == InputFormat.CSV ? RecordSyntax.CSV : RecordSyntax.LINES,
                    format == InputFormat.CSV,
                    maxRecordBytes,
                    batchSize,
                    4L * 1024 * 1024,
                    2,
                    io);
        ShardRun run = processor.open(new ShardContext(task, format, columns, batchSize, models))) {
      PartSink sink = new PartSink(out, () -> errors);
      ShardExecutor.Counts counts = ShardExecutor.run(run, batches, sink, () -> false);
      out.flush();
      return new Outcome(
          counts.records(),
          counts.errors(),
          counts.outputBytes(),
          (System.nanoTime() - started) / 1e9);
    } catch (ShardExecutor.StoppedException e) {
      throw new IllegalStateException("a local run is never stopped", e);
    } finally {
      io.shutdownNow();
    }
  }

  /** Ranged reads over a source readable from any offset. */
  private static RangeReader ranges(ByteSource source) {
    return (offset, length) -> {
      try (InputStream in = source.open(offset)) {
        return in.readNBytes(length);
      }
    };
  }

  /** A task covering the whole of a local input, for {@link #run}. */
  public static ShardTask wholeFileTask(
      String processor,
      String format,
      String header,
      long size,
      java.util.Map<String, String> params) {
    java.util.UUID none = new java.util.UUID(0, 0);
    return new ShardTask(
        none, 0, none, processor, 0, 1, "local", "input", 0, size, size, format, header, "model",
        "local", params, "local");
  }
}
