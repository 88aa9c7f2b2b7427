package dev.kiln.scheduler.assemble;

import com.codahale.metrics.MetricRegistry;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.FileState;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.OutputFormat;
import dev.kiln.model.Shard;
import dev.kiln.model.ShardState;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.LogFields;
import dev.kiln.protocol.news.JobNews;
import dev.kiln.protocol.storage.ObjectInfo;
import dev.kiln.protocol.storage.ObjectKeys;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.Parallel;
import dev.kiln.scheduler.db.Events;
import dev.kiln.scheduler.db.JobFailure;
import dev.kiln.scheduler.db.SchedulerDao;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.metrics.SchedulerMetrics;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Assembles jobs whose shards are all done: checks the error rate, concatenates each input's parts
 * in index order into {@code {inputName}.out} (or merges Parquet parts into {@code
 * {inputName}.out.parquet}, {@link ParquetAssembly}), then in one transaction records the output
 * files, links them to the inputs and marks the job SUCCEEDED. Until that commit no output is
 * visible as a file, so a partial output is never presented as complete. While a job runs, {@link
 * IncrementalAssembly} already copies the parts of its done shards into the outputs' uploads, so
 * the end of a job waits only for the last parts. Used by one poller thread.
 */
public final class Assembler {
  private static final Logger LOG = LoggerFactory.getLogger(Assembler.class);

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final PartConcatenator concatenator;
  private final Leadership leadership;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final MetricRegistry metrics;
  private final SchedulerMetrics histograms;
  private final ExecutorService io;
  private final IncrementalAssembly incremental;
  private final ParquetAssembly parquetAssembly;

  /** The end of an output's name: {@code {inputName}.out}. */
  private static final String SUFFIX = ".out";

  /** The end of a Parquet output's name: {@code {inputName}.out.parquet}. */
  private static final String PARQUET_SUFFIX = ".out.parquet";

  private final JobNews news;

  public Assembler(
      Jdbi jdbi,
      ObjectStore store,
      Leadership leadership,
      SchedulerSettings settings,
      Clock clock,
      MetricRegistry metrics,
      SchedulerMetrics histograms,
      ExecutorService io,
      ExecutorService prefetch,
      JobNews news) {
    this.news = news;
    this.histograms = histograms;
    this.io = io;
    this.jdbi = jdbi;
    this.store = store;
    this.concatenator = new PartConcatenator(store, prefetch);
    this.parquetAssembly = new ParquetAssembly(store);
    this.leadership = leadership;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.incremental =
        new IncrementalAssembly(
            jdbi, concatenator, store.settings().resultsBucket(), this::outputKeys);
  }

  /**
   * Copies the parts of running jobs' done shards ahead, then assembles what is ready; idle when no
   * job runs with shards done and none is ready.
   */
  public Pass assembleReady() {
    int followed = incremental.advance();
    List<SchedulerDao.JobRef> ready = jdbi.onDemand(SchedulerDao.class).readyToAssemble(16);
    for (SchedulerDao.JobRef ref : ready) {
      MDC.put(LogFields.JOB, ref.id().toString());
      assemble(ref.id());
    }
    MDC.remove(LogFields.JOB);
    return Pass.of(followed + ready.size(), ready.size() == 16);
  }

  private void assemble(UUID jobId) {
    Instant now = clock.instant();
    Job job =
        jdbi.inTransaction(
            handle -> {
              leadership.fence(handle);
              JobDao jobs = handle.attach(JobDao.class);
              jobs.transition(jobId, List.of(JobState.RUNNING), JobState.ASSEMBLING, null, now);
              return jobs.findById(jobId).orElse(null);
            });
    if (job == null || job.state() != JobState.ASSEMBLING) {
      return;
    }
    news.announce(jobId);
    JobParams stored = JobParamsJson.read(job.paramsJson());
    JobParams.Resolved params = stored.resolve(settings.jobDefaults());
    if (job.records() > 0 && (double) job.errors() / job.records() > params.maxErrorRate()) {
      fail(
          job,
          String.format(
              Locale.ROOT,
              "%d of %d records (%.2f%%) failed, above the job's maxErrorRate of %.2f%%",
              job.errors(),
              job.records(),
              100.0 * job.errors() / job.records(),
              100.0 * params.maxErrorRate()));
      return;
    }
    boolean parquet = stored.output() == OutputFormat.PARQUET;
    List<JobInput> inputs = jdbi.onDemand(JobDao.class).inputs(jobId);
    List<String> names = outputNames(inputs, parquet ? PARQUET_SUFFIX : SUFFIX);
    List<List<PartConcatenator.Part>> partsPerInput = new ArrayList<>();
    for (JobInput input : inputs) {
      List<PartConcatenator.Part> parts = new ArrayList<>();
      for (Shard shard : jdbi.onDemand(ShardDao.class).listForInput(jobId, input.position())) {
        if (shard.state() != ShardState.DONE || shard.outputKey() == null) {
          fail(job, "shard " + shard.idx() + " has no output to assemble");
          return;
        }
        parts.add(new PartConcatenator.Part(shard.outputKey(), shard.outputBytes()));
      }
      partsPerInput.add(parts);
    }
    Optional<List<IncrementalAssembly.Output>> ahead =
        parquet ? Optional.empty() : incremental.take(jobId);
    int copiedAhead =
        ahead
            .map(list -> list.stream().mapToInt(IncrementalAssembly.Output::copied).sum())
            .orElse(0);
    List<StoredFile> outputs;
    try {
      outputs = assembleOutputs(job, names, partsPerInput, ahead, parquet, now);
    } catch (ParquetAssembly.UnmergeablePartException e) {
      fail(job, e.getMessage());
      return;
    }
    Instant finished = clock.instant();
    boolean succeeded =
        jdbi.inTransaction(
            handle -> {
              leadership.fence(handle);
              return succeed(handle, job, inputs, outputs, finished);
            });
    if (!succeeded) {
      return;
    }
    news.announce(jobId);
    histograms.jobEnded("succeeded", Duration.between(job.createdAt(), finished));
    LOG.info(
        "job {} assembled into {} output(s) in {} ms; {} of {} parts were copied while it ran",
        jobId,
        outputs.size(),
        Duration.between(now, clock.instant()).toMillis(),
        copiedAhead,
        partsPerInput.stream().mapToLong(parts -> parts.size()).sum());
  }

  /** Writes each input's output from its parts; answers the output files, in input order. */
  private List<StoredFile> assembleOutputs(
      Job job,
      List<String> names,
      List<List<PartConcatenator.Part>> partsPerInput,
      Optional<List<IncrementalAssembly.Output>> ahead,
      boolean parquet,
      Instant now) {
    String bucket = store.settings().resultsBucket();
    List<Integer> positions = IntStream.range(0, names.size()).boxed().toList();
    return Parallel.map(
        io,
        positions,
        i -> {
          String name = names.get(i);
          String key = outputKey(job, name);
          if (parquet) {
            parquetAssembly.assembleUnchecked(bucket, partsPerInput.get(i), key);
            metrics.meter("scheduler.assembler.parquet").mark();
          } else if (ahead.isPresent()
              && incremental.finish(ahead.get().get(i), partsPerInput.get(i))) {
            metrics.meter("scheduler.assembler.incremental").mark();
          } else {
            PartConcatenator.Method method =
                concatenator.concatenate(bucket, partsPerInput.get(i), key);
            metrics.meter("scheduler.assembler." + method.name().toLowerCase(Locale.ROOT)).mark();
          }
          ObjectInfo info = concatenator.written(bucket, key);
          return new StoredFile(
              UUID.randomUUID(),
              job.ownerId(),
              name,
              bucket,
              key,
              info.sizeBytes(),
              info.etag(),
              FileState.READY,
              now,
              now,
              now.plus(settings.outputRetention()));
        });
  }

  /**
   * Marks the job SUCCEEDED with its output files and its event; false when it is no longer
   * ASSEMBLING (cancelled meanwhile).
   */
  private static boolean succeed(
      Handle handle, Job job, List<JobInput> inputs, List<StoredFile> outputs, Instant finished) {
    JobDao jobs = handle.attach(JobDao.class);
    if (jobs.transition(job.id(), List.of(JobState.ASSEMBLING), JobState.SUCCEEDED, null, finished)
        != 1) {
      return false;
    }
    FileDao files = handle.attach(FileDao.class);
    for (int i = 0; i < outputs.size(); i++) {
      files.insert(outputs.get(i));
      jobs.setOutputFile(job.id(), inputs.get(i).position(), outputs.get(i).id());
    }
    List<String> ids = outputs.stream().map(f -> f.id().toString()).toList();
    handle
        .attach(OutboxDao.class)
        .append(
            job.id(),
            job.ownerId(),
            OutboxEventType.SUCCEEDED,
            Events.json(Map.of("outputs", ids)),
            finished);
    return true;
  }

  /**
   * The output name of each input, in input order: {@code {inputName}.out}, or {@code
   * {inputName}.{position}.out} for a name seen before.
   */
  private List<String> outputNames(List<JobInput> inputs, String suffix) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JobInput input : inputs) {
      StoredFile source = jdbi.onDemand(FileDao.class).findById(input.fileId()).orElseThrow();
      String name = source.name() + suffix;
      if (!seen.add(name)) {
        name = source.name() + "." + input.position() + suffix;
        seen.add(name);
      }
      names.add(name);
    }
    return names;
  }

  private List<String> outputKeys(Job job) {
    return outputNames(jdbi.onDemand(JobDao.class).inputs(job.id()), SUFFIX).stream()
        .map(name -> outputKey(job, name))
        .toList();
  }

  private static String outputKey(Job job, String name) {
    return ObjectKeys.output(job.ownerId(), job.id(), name.substring(0, name.lastIndexOf(SUFFIX)));
  }

  private void fail(Job job, String reason) {
    incremental.discard(job.id());
    Instant failed = clock.instant();
    boolean ended =
        jdbi.inTransaction(
            handle -> {
              leadership.fence(handle);
              return JobFailure.fail(
                  handle, job.id(), List.of(JobState.ASSEMBLING), reason, failed);
            });
    if (ended) {
      news.announce(job.id());
      histograms.jobEnded("failed", Duration.between(job.createdAt(), failed));
    }
  }
}
