package dev.kiln.scheduler.plan;

import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.db.JobTraces;
import dev.kiln.db.OutboxDao;
import dev.kiln.model.Compression;
import dev.kiln.model.InputFormat;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Shard;
import dev.kiln.model.ShardState;
import dev.kiln.model.StoredFile;
import dev.kiln.model.plan.ByteRange;
import dev.kiln.model.plan.RecordSyntax;
import dev.kiln.model.plan.ShardPlanner;
import dev.kiln.protocol.LogFields;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.queue.RedisWorkQueue;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.protocol.storage.Decompression;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.Parallel;
import dev.kiln.protocol.tracing.Tracing;
import dev.kiln.scheduler.db.Events;
import dev.kiln.scheduler.db.JobFailure;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.settings.SchedulerSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims submitted jobs ({@code FOR UPDATE SKIP LOCKED}), plans their shards from object sizes,
 * reads each CSV header with one small ranged GET, the file offsets of each zip or tar archive from
 * its directory or headers ({@link ArchiveCuts}) and the row groups of each Parquet file from its
 * footer ({@link ParquetCuts}), records the shards and moves the job to RUNNING in one transaction,
 * then enqueues the shards. A job that cannot be planned fails with a reason its owner can act on.
 * Used by one poller thread.
 */
public final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private static final int HEADER_BYTES = 64 * 1024;
  private static final int CLAIM = 8;
  private static final long SLOW_PLAN_MILLIS = 500;

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final RedisWorkQueue queue;
  private final Leadership leadership;
  private final SchedulerSettings settings;
  private final TaskBuilder tasks;
  private final Clock clock;
  private final ShardPlanner shardPlanner;
  private final ExecutorService io;
  private final JobNews news;
  private final Tracing tracing;
  private final ArchiveCuts archiveCuts;
  private final ParquetCuts parquetCuts;

  public Planner(
      Jdbi jdbi,
      ObjectStore store,
      RedisWorkQueue queue,
      Leadership leadership,
      SchedulerSettings settings,
      Clock clock,
      ExecutorService io,
      JobNews news,
      Tracing tracing) {
    this.io = io;
    this.news = news;
    this.tracing = tracing;
    this.jdbi = jdbi;
    this.store = store;
    this.queue = queue;
    this.leadership = leadership;
    this.settings = settings;
    this.clock = clock;
    this.tasks = new TaskBuilder(settings, store.settings().resultsBucket());
    this.shardPlanner = new ShardPlanner(settings.maxShardsPerJob(), settings.minShardBytes());
    this.archiveCuts = new ArchiveCuts(store);
    this.parquetCuts = new ParquetCuts(store);
  }

  /** Plans one batch of submitted jobs; idle when none was waiting. */
  public Pass planBatch() {
    long started = System.nanoTime();
    List<ShardTask> planned = new ArrayList<>();
    List<UUID> claimed =
        jdbi.inTransaction(
            handle -> {
              leadership.fence(handle);
              List<Job> jobs = handle.attach(JobDao.class).claimSubmitted(CLAIM);
              for (Job job : jobs) {
                planned.addAll(plan(handle, job));
              }
              return jobs.stream().map(Job::id).toList();
            });
    MDC.remove(LogFields.JOB);
    MDC.remove(LogFields.ACCOUNT);
    news.announceAll(claimed);
    long recorded = System.nanoTime();
    if (!planned.isEmpty() && queue.enqueue(planned).isEmpty()) {
      LOG.warn("queue epoch missing; {} planned shards wait for the rebuild", planned.size());
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    if (!claimed.isEmpty() && millis >= SLOW_PLAN_MILLIS) {
      LOG.info(
          "Planning {} jobs took {} ms: {} shards recorded in PostgreSQL after {} ms, enqueued"
              + " after {} ms",
          claimed.size(),
          millis,
          planned.size(),
          (recorded - started) / 1_000_000,
          millis);
    }
    return Pass.of(claimed.size(), claimed.size() == CLAIM);
  }

  private List<ShardTask> plan(Handle handle, Job job) {
    MDC.put(LogFields.JOB, job.id().toString());
    MDC.put(LogFields.ACCOUNT, job.ownerId().toString());
    if (!tracing.enabled()) {
      return planUntraced(handle, job);
    }
    Span span =
        tracing
            .tracer()
            .spanBuilder("plan job")
            .setParent(Tracing.parent(JobTraces.find(handle, job.id()).orElse(null)))
            .setAttribute("kiln.job", job.id().toString())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      List<ShardTask> planned = planUntraced(handle, job);
      span.setAttribute("kiln.shards", planned.size());
      String traceParent = Tracing.traceParent(span);
      return planned.stream().map(task -> task.withTraceParent(traceParent)).toList();
    } finally {
      span.end();
    }
  }

  /**
   * Plans the job: its shards for the queue, each carrying the current trace, or none when the job
   * failed.
   */
  private List<ShardTask> planUntraced(Handle handle, Job job) {
    Instant now = clock.instant();
    try {
      JobParams.Resolved params =
          JobParamsJson.read(job.paramsJson()).resolve(settings.jobDefaults());
      FileDao files = handle.attach(FileDao.class);
      List<JobInput> inputs = handle.attach(JobDao.class).inputs(job.id());
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("the job has no inputs");
      }
      List<StoredFile> inputFiles = new ArrayList<>(inputs.size());
      for (JobInput input : inputs) {
        inputFiles.add(
            files
                .findForOwner(input.fileId(), job.ownerId())
                .filter(StoredFile::isReady)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "input " + input.fileId() + " is not a finished upload of yours")));
      }
      List<Long> sizes = Parallel.map(io, inputFiles, this::sizeOf);
      List<String> headers =
          new ArrayList<>(
              Parallel.map(
                  io,
                  inputFiles,
                  file ->
                      params.format().orElse(InputFormat.fromFileName(file.name())).hasHeader()
                          ? header(file)
                          : null));
      List<Boolean> splittable = new ArrayList<>(inputFiles.size());
      List<String> notes = new ArrayList<>();
      List<String> shardNotes = new ArrayList<>();
      List<InputFormat> formats = new ArrayList<>(inputFiles.size());
      for (StoredFile file : inputFiles) {
        Compression compression = Compression.fromFileName(file.name());
        InputFormat format = params.format().orElse(InputFormat.fromFileName(file.name()));
        if (format == InputFormat.PARQUET && !compression.splittable()) {
          throw new IllegalArgumentException(
              "'"
                  + file.name()
                  + "' is a compressed Parquet file, which cannot be read in parts: upload the"
                  + " .parquet itself (its pages are compressed already)");
        }
        if (format == InputFormat.ZIP && !compression.splittable()) {
          throw new IllegalArgumentException(
              "'"
                  + file.name()
                  + "' is a compressed zip archive, which cannot be read in parts: upload the"
                  + " .zip itself (its files are compressed already)");
        }
        formats.add(format);
        splittable.add(params.splittable() && compression.splittable());
        String note =
            compression.splittable() ? null : compression.notSplittableReason(file.name());
        shardNotes.add(note);
        if (note != null) {
          notes.add(note);
        }
      }
      List<Integer> positions = new ArrayList<>();
      for (int position = 0; position < inputFiles.size(); position++) {
        positions.add(position);
      }
      List<ParquetCuts.Plan> parquet =
          Parallel.map(
              io,
              positions,
              position ->
                  formats.get(position).isParquet()
                      ? parquetCuts.of(inputFiles.get(position), sizes.get(position))
                      : null);
      List<long[]> cuts =
          new ArrayList<>(
              Parallel.map(
                  io,
                  positions,
                  position ->
                      formats.get(position).isArchive() && splittable.get(position)
                          ? archiveCuts.of(
                              inputFiles.get(position), sizes.get(position), formats.get(position))
                          : null));
      for (int position = 0; position < parquet.size(); position++) {
        if (parquet.get(position) != null) {
          headers.set(position, parquet.get(position).header());
          if (splittable.get(position)) {
            cuts.set(position, parquet.get(position).cuts());
          }
        }
      }
      List<ByteRange> ranges = shardPlanner.plan(sizes, params.shardBytes(), splittable, cuts);
      List<Shard> shards = new ArrayList<>(ranges.size());
      for (int idx = 0; idx < ranges.size(); idx++) {
        ByteRange range = ranges.get(idx);
        shards.add(
            new Shard(
                job.id(),
                idx,
                range.inputPosition(),
                inputs.get(range.inputPosition()).fileId(),
                range.start(),
                range.end(),
                ShardState.QUEUED,
                0,
                null,
                0,
                0,
                0,
                0,
                null,
                now));
      }
      JobDao jobs = handle.attach(JobDao.class);
      ShardRows.insertQueued(handle, job.id(), shards, now);
      for (int position = 0; position < headers.size(); position++) {
        if (headers.get(position) != null) {
          jobs.setHeader(job.id(), position, headers.get(position));
        }
        if (shardNotes.get(position) != null) {
          jobs.setShardNote(job.id(), position, shardNotes.get(position));
        }
      }
      jobs.setShardsTotal(job.id(), shards.size());
      jobs.transition(job.id(), List.of(JobState.SUBMITTED), JobState.RUNNING, null, now);
      handle
          .attach(OutboxDao.class)
          .append(
              job.id(),
              job.ownerId(),
              OutboxEventType.RUNNING,
              notes.isEmpty()
                  ? Events.json(Map.of("shards", shards.size()))
                  : Events.json(Map.of("shards", shards.size(), "notes", notes)),
              now);
      return tasks.tasks(handle, reload(handle, job), shards);
    } catch (IllegalArgumentException e) {
      JobFailure.fail(handle, job.id(), List.of(JobState.SUBMITTED), e.getMessage(), now);
      return List.of();
    }
  }

  private long sizeOf(StoredFile file) {
    ObjectInfo info =
        store
            .head(file.bucket(), file.objectKey())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "input '" + file.name() + "' is missing from storage"));
    if (info.sizeBytes() != file.sizeBytes()) {
      throw new IllegalArgumentException(
          "input '" + file.name() + "' changed since its upload was completed");
    }
    return info.sizeBytes();
  }

  private static Job reload(Handle handle, Job job) {
    return handle.attach(JobDao.class).findById(job.id()).orElse(job);
  }

  private String header(StoredFile file) {
    Compression compression = Compression.fromFileName(file.name());
    byte[] head;
    if (compression.splittable()) {
      head =
          store.readRange(
              file.bucket(), file.objectKey(), 0, Math.min(file.sizeBytes(), HEADER_BYTES));
    } else {
      head = decompressedHead(file, compression);
    }
    int end = RecordSyntax.CSV.firstRecordLength(head);
    if (end < 0) {
      if (head.length >= HEADER_BYTES) {
        throw new IllegalArgumentException(
            "the CSV header of '" + file.name() + "' is longer than 64 KiB");
      }
      end = head.length > 0 && head[head.length - 1] == '\r' ? head.length - 1 : head.length;
    }
    return new String(head, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * The first {@link #HEADER_BYTES} bytes of a compressed input, decompressed from at most three
   * times as many compressed bytes (neither gzip nor zstd grows data by more).
   */
  private byte[] decompressedHead(StoredFile file, Compression compression) {
    long compressed = Math.min(file.sizeBytes(), 3L * HEADER_BYTES);
    try (InputStream raw = store.openRange(file.bucket(), file.objectKey(), 0, compressed);
        InputStream in = Decompression.open(compression, raw)) {
      return in.readNBytes(HEADER_BYTES);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "'"
              + file.name()
              + "' does not decompress as "
              + compression.name().toLowerCase(Locale.ROOT)
              + ": "
              + e.getMessage());
    }
  }
}
