package dev.kiln.agent;

import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.ModelFiles;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.agent.processor.Processors;
import dev.kiln.agent.processor.ShardContext;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.Compression;
import dev.kiln.model.InputFormat;
import dev.kiln.model.OutputFormat;
import dev.kiln.model.fleet.Machine;
import dev.kiln.model.plan.ArchiveReader;
import dev.kiln.model.plan.BadArchiveException;
import dev.kiln.model.plan.ByteSource;
import dev.kiln.model.plan.RecordSyntax;
import dev.kiln.model.plan.RecordTooLongException;
import dev.kiln.protocol.parquet.BadParquetException;
import dev.kiln.protocol.parquet.ParquetRows;
import dev.kiln.protocol.queue.ShardResult;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.queue.WorkQueue;
import dev.kiln.protocol.storage.Decompression;
import dev.kiln.protocol.storage.MultipartOutputStream;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one shard end to end: ranged read from S3, record alignment, the processor in batches, the
 * output part streamed to S3 (JSON lines, or Parquet through {@link ParquetPart} when the job's
 * {@code outputFormat} asks for it), and the report to the queue. Every failure becomes a report,
 * never an exception. Thread-safe.
 */
final class ShardWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ShardWorker.class);

  /** How a shard ended. */
  enum Outcome {
    COMPLETED,
    FAILED,
    RELEASED,
    CANCELLED,
    LATE
  }

  /** Reopenings of a shard's input after a broken read. */
  static final int MAX_RESUMES = 3;

  /** The largest file of an archive input read as one record: 64 MiB. */
  static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

  /** Largest batch size a job may ask for. */
  static final int MAX_BATCH_SIZE = 65_536;

  private final Supplier<Machine> machine;
  private final AgentConfig config;
  private final WorkQueue queue;
  private final ObjectStore store;
  private final Processors processors;
  private final ModelFiles models;
  private final Executor io;
  private final AgentMetrics metrics;
  private final Object averageLock = new Object();
  private double averageShardSeconds;

  ShardWorker(
      AgentConfig config,
      WorkQueue queue,
      ObjectStore store,
      Processors processors,
      ModelFiles models,
      Executor io,
      Supplier<Machine> machine,
      AgentMetrics metrics) {
    this.machine = machine;
    this.metrics = metrics;
    this.config = config;
    this.queue = queue;
    this.store = store;
    this.processors = processors;
    this.models = models;
    this.io = io;
  }

  /** Starts reading the shard's input ahead of its computation. */
  void prefetch(ShardJob job) {
    ShardTask task = job.task();
    int batchSize = batchSize(task);
    InputFormat format = format(task);
    boolean csv = format == InputFormat.CSV;
    boolean archive = format != null && format.isArchive();
    Compression compression = Compression.fromFileName(task.inputKey());
    long to =
        compression.splittable() && !archive
            ? Math.min(task.objectSize(), task.end() + config.maxRecordBytes() + 1L)
            : task.objectSize();
    ByteSource raw =
        from ->
            from >= to
                ? InputStream.nullInputStream()
                : new ResumingInputStream(
                    offset ->
                        offset >= to
                            ? InputStream.nullInputStream()
                            : store.openRange(task.inputBucket(), task.inputKey(), offset, to),
                    from,
                    MAX_RESUMES);
    ByteSource source = compression.splittable() ? raw : decompressed(raw, compression);
    long end = compression.splittable() ? task.end() : Long.MAX_VALUE;
    if (format == InputFormat.PARQUET) {
      job.batches(
          new RecordBatches(
              () -> parquetRows(task),
              batchSize,
              config.batchChars(),
              config.prefetchBatches(),
              io),
          batchSize);
      return;
    }
    if (archive) {
      job.batches(
          new RecordBatches(
              () -> archive(task, format, compression, raw),
              batchSize,
              config.batchChars(),
              config.prefetchBatches(),
              io),
          batchSize);
      return;
    }
    job.batches(
        new RecordBatches(
            source,
            task.start(),
            end,
            csv ? RecordSyntax.CSV : RecordSyntax.LINES,
            csv,
            config.maxRecordBytes(),
            batchSize,
            config.batchChars(),
            config.prefetchBatches(),
            io),
        batchSize);
  }

  /**
   * The files of an archive shard: a zip is read where its directory says, a tar from the shard's
   * start (a compressed tar, always one shard, decompressed from its start).
   */
  private static ArchiveReader archive(
      ShardTask task, InputFormat format, Compression compression, ByteSource raw) {
    ArchiveReader.Kind kind =
        format == InputFormat.ZIP ? ArchiveReader.Kind.ZIP : ArchiveReader.Kind.TAR;
    if (compression.splittable()) {
      return new ArchiveReader(
          kind, raw, task.objectSize(), task.start(), task.end(), MAX_FILE_BYTES);
    }
    return new ArchiveReader(
        kind, decompressed(raw, compression), Long.MAX_VALUE, 0, Long.MAX_VALUE, MAX_FILE_BYTES);
  }

  /**
   * The rows of a Parquet shard: the row groups that start in its range, each read with one ranged
   * GET after the footer (the planner refuses a compressed Parquet file).
   */
  private ParquetRows parquetRows(ShardTask task) {
    return new ParquetRows(
        (offset, length) ->
            store.readRange(
                task.inputBucket(),
                task.inputKey(),
                offset,
                Math.min(task.objectSize(), offset + length)),
        task.objectSize(),
        task.start(),
        task.end());
  }

  /**
   * A compressed input (always one shard, planned from offset 0) as its decompressed bytes; the
   * reader opens it only at offset 0.
   */
  private static ByteSource decompressed(ByteSource raw, Compression compression) {
    return from -> {
      if (from != 0) {
        throw new IOException("a compressed input can only be read from its start");
      }
      return Decompression.open(compression, raw.open(0));
    };
  }

  /**
   * Notes the shard's progress on the job: the share of its byte range read, where offsets are
   * positions in the stored object (not in a compressed input, an archive's files or Parquet rows).
   */
  private static ShardExecutor.Progress progressOf(ShardJob job, InputFormat format) {
    ShardTask task = job.task();
    long length = task.end() - task.start();
    boolean measurable =
        length > 0
            && !format.isArchive()
            && !format.isParquet()
            && Compression.fromFileName(task.inputKey()).splittable();
    return (records, lastOffset) ->
        job.progress(
            records,
            measurable
                ? Math.min(1, Math.max(0, (lastOffset - task.start()) / (double) length))
                : 0);
  }

  /** Runs the shard and reports it; never throws for anything the shard does. */
  Outcome run(ShardJob job) {
    ShardTask task = job.task();
    long started = System.nanoTime();
    MultipartOutputStream[] errorOut = new MultipartOutputStream[1];
    MultipartOutputStream out = null;
    ParquetPart[] parquet = new ParquetPart[1];
    try (RecordBatches batches = job.batches()) {
      if (job.stop() != null) {
        return stopped(job);
      }
      Processor processor =
          processors
              .get(task.processor())
              .orElseThrow(
                  () ->
                      new ProcessorException(
                          "this agent has no processor named " + task.processor(), true));
      InputFormat format = format(task);
      if (format == null) {
        throw ProcessorException.fatal("unknown input format " + task.format());
      }
      List<String> columns = columns(task, format);
      ShardContext context = new ShardContext(task, format, columns, job.batchSize(), models);
      String partKey = ObjectKeys.part(task.ownerId(), task.jobId(), task.idx(), job.attempt());
      String errorKey =
          ObjectKeys.errorPart(task.ownerId(), task.jobId(), task.idx(), job.attempt());
      ShardExecutor.Counts counts;
      try (ShardRun run = processor.open(context)) {
        out = store.create(task.resultsBucket(), partKey, config.partBytes());
        OutputStream partOut = out;
        if (OutputFormat.fromParam(task.params().get("outputFormat")) == OutputFormat.PARQUET) {
          partOut = parquet[0] = new ParquetPart(out, config.workDir());
        }
        PartSink sink =
            new PartSink(
                partOut,
                () ->
                    errorOut[0] =
                        store.create(
                            task.resultsBucket(), errorKey, MultipartOutputStream.MIN_PART_BYTES));
        counts =
            ShardExecutor.run(
                run, batches, sink, () -> job.stop() != null, progressOf(job, format));
        partOut.close();
      }
      double busy = (System.nanoTime() - started) / 1e9;
      ShardResult result =
          new ShardResult(
              partKey,
              parquet[0] == null ? counts.outputBytes() : out.written(),
              counts.records(),
              counts.errors(),
              errorOut[0] == null ? null : errorKey,
              busy,
              batches.newlinesInRange(),
              machine.get());
      remember(busy);
      if (!queue.complete(job.ref(), result)) {
        LOG.info("Completion of {} came too late; another attempt owns the shard", job.ref());
        return Outcome.LATE;
      }
      metrics.shardCompleted(
          busy, counts.records(), Duration.ofNanos(System.nanoTime() - job.leasedAtNanos()));
      LOG.debug("Completed {}: {}", job.ref(), result);
      return Outcome.COMPLETED;
    } catch (ShardExecutor.StoppedException e) {
      abort(out, errorOut[0], parquet[0]);
      return stopped(job);
    } catch (ProcessorException e) {
      abort(out, errorOut[0], parquet[0]);
      return fail(job, e.getMessage(), e.retryable());
    } catch (RecordTooLongException | BadArchiveException e) {
      abort(out, errorOut[0], parquet[0]);
      return fail(job, e.getMessage(), false);
    } catch (BadParquetException e) {
      abort(out, errorOut[0], parquet[0]);
      String name = task.inputKey().substring(task.inputKey().lastIndexOf('/') + 1);
      return fail(job, "'" + name + "' " + e.getMessage(), false);
    } catch (IOException | UncheckedIOException e) {
      abort(out, errorOut[0], parquet[0]);
      return fail(job, "reading or writing the shard failed: " + e.getMessage(), true);
    } catch (RuntimeException e) {
      abort(out, errorOut[0], parquet[0]);
      LOG.warn("Processor {} failed on {}", task.processor(), job.ref(), e);
      return fail(job, "processor " + task.processor() + " failed: " + e, true);
    } catch (LinkageError e) {
      abort(out, errorOut[0], parquet[0]);
      LOG.error("Processor {} cannot load its native code", task.processor(), e);
      return fail(
          job,
          "processor " + task.processor() + " cannot load its native code on this agent: " + e,
          true);
    }
  }

  /** Gives a shard back without spending an attempt. */
  void release(ShardJob job) {
    RecordBatches batches = job.batches();
    if (batches != null) {
      batches.close();
    }
    try {
      queue.release(job.ref());
    } catch (RuntimeException e) {
      LOG.warn("Releasing {} failed; its lease will expire", job.ref(), e);
    }
  }

  /** Average compute seconds of recent shards (0 before the first). */
  double averageShardSeconds() {
    synchronized (averageLock) {
      return averageShardSeconds;
    }
  }

  private void remember(double seconds) {
    synchronized (averageLock) {
      averageShardSeconds =
          averageShardSeconds == 0 ? seconds : 0.7 * averageShardSeconds + 0.3 * seconds;
    }
  }

  private Outcome stopped(ShardJob job) {
    // Either way the lease goes back: a drained shard to the front of its queue, a cancelled one
    // out
    // of the queue at once, so that a retry of its job runs it without waiting for the lease to
    // expire.
    release(job);
    boolean drained = job.stop() == ShardJob.Stop.RELEASE;
    LOG.info(drained ? "Released {}" : "Dropped {}", job.ref());
    return drained ? Outcome.RELEASED : Outcome.CANCELLED;
  }

  private Outcome fail(ShardJob job, String message, boolean retryable) {
    LOG.warn("Shard {} failed ({}): {}", job.ref(), retryable ? "retryable" : "final", message);
    try {
      queue.fail(job.ref(), message, retryable);
    } catch (RuntimeException e) {
      LOG.warn("Reporting the failure of {} failed; its lease will expire", job.ref(), e);
    }
    return Outcome.FAILED;
  }

  private static void abort(
      MultipartOutputStream out, MultipartOutputStream errors, ParquetPart parquet) {
    if (parquet != null) {
      parquet.discard();
    }
    if (out != null) {
      out.abort();
    }
    if (errors != null) {
      errors.abort();
    }
  }

  private int batchSize(ShardTask task) {
    String value = task.params().get("batchSize");
    if (value == null || value.isBlank()) {
      return config.batchSize();
    }
    try {
      return Math.max(1, Math.min(MAX_BATCH_SIZE, Integer.parseInt(value.strip())));
    } catch (NumberFormatException e) {
      return config.batchSize();
    }
  }

  private static InputFormat format(ShardTask task) {
    return task.format() == null ? InputFormat.TEXT : InputFormat.parse(task.format()).orElse(null);
  }

  private static List<String> columns(ShardTask task, InputFormat format)
      throws ProcessorException {
    if (format == InputFormat.PARQUET) {
      return task.header() == null || task.header().isEmpty()
          ? List.of()
          : Csv.split(task.header());
    }
    if (format != InputFormat.CSV || task.header() == null) {
      return List.of();
    }
    try {
      return Csv.split(task.header());
    } catch (IllegalArgumentException e) {
      throw ProcessorException.fatal("the CSV header does not parse: " + e.getMessage());
    }
  }
}
