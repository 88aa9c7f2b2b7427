package dev.kiln.scheduler.assemble;

import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.db.ShardDao;
import dev.kiln.dropwizard.Outages;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import dev.kiln.model.OutputFormat;
import dev.kiln.model.Shard;
import dev.kiln.model.ShardState;
import dev.kiln.protocol.storage.MultipartOutputStream;
import dev.kiln.scheduler.db.SchedulerDao;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outputs assembled while their jobs run. For each input of a running job, a multipart upload into
 * the output's key holds server-side copies of the parts of the longest run of done shards from the
 * first one on, so that once the last shard is done only the parts after that run and the
 * CompleteMultipartUpload are left. Nothing is visible under the output key before that completion;
 * the upload of a job that fails or is cancelled is aborted. An output whose parts cannot all be
 * copied server-side (a part under 5 MiB before the last) is left to the whole assembly at the end,
 * as is every Parquet output (its parts are merged, not concatenated: {@link ParquetAssembly}). The
 * state lives in the leader's memory: a new leader starts over, and the results bucket's lifecycle
 * rule removes an upload that a former leader left behind. {@link #advance()} and {@link #discard}
 * are for the assembler thread; {@link #take} hands a job's outputs to whoever completes them.
 * Thread-safe.
 */
final class IncrementalAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(IncrementalAssembly.class);

  /** Jobs looked at per pass. */
  private static final int JOBS_PER_PASS = 16;

  /** Copies in flight per output while its job runs (the agents need the machine more). */
  private static final int COPIES_IN_FLIGHT = 2;

  /** One output being assembled: its upload and the parts copied into it, in part order. */
  static final class Output {
    private final String key;
    private final List<String> sources = new ArrayList<>();
    private final List<Future<PartConcatenator.CompletedPart>> copies = new ArrayList<>();
    private String uploadId;
    private int nextShard;
    private boolean abandoned;

    private Output(String key) {
      this.key = key;
    }

    /** Parts copied into the upload so far. */
    int copied() {
      return sources.size();
    }

    private long copying() {
      return copies.stream().filter(copy -> !copy.isDone()).count();
    }
  }

  private record Tracked(List<Output> outputs, int shardsDone) {}

  private final Jdbi jdbi;
  private final PartConcatenator concatenator;
  private final String bucket;
  private final Function<Job, List<String>> outputKeys;
  private final Map<UUID, Tracked> jobs = new ConcurrentHashMap<>();

  /**
   * @param outputKeys the output key of each input of a job, in input order
   */
  IncrementalAssembly(
      Jdbi jdbi,
      PartConcatenator concatenator,
      String bucket,
      Function<Job, List<String>> outputKeys) {
    this.jdbi = jdbi;
    this.concatenator = concatenator;
    this.bucket = bucket;
    this.outputKeys = outputKeys;
  }

  /**
   * Copies the parts of newly done shards of running jobs into their outputs' uploads, and aborts
   * the uploads of jobs that failed or were cancelled; answers how many jobs it follows (running
   * with shards done, or with an output under way).
   */
  int advance() {
    Set<UUID> running = new HashSet<>();
    for (SchedulerDao.RunningJob job :
        jdbi.onDemand(SchedulerDao.class).runningWithDoneShards(JOBS_PER_PASS)) {
      running.add(job.id());
      try {
        advance(job);
      } catch (RuntimeException e) {
        Optional<String> away = Outages.unavailable(e);
        if (away.isPresent()) {
          LOG.warn(
              "Assembling job {} ahead stopped: {} is unreachable; it is assembled at its end",
              job.id(),
              away.get());
        } else {
          LOG.warn("Assembling job {} ahead failed; it is assembled at its end", job.id(), e);
        }
        discard(job.id());
      }
    }
    for (UUID id : List.copyOf(jobs.keySet())) {
      if (!running.contains(id)) {
        Optional<JobState> state = jdbi.onDemand(JobDao.class).findById(id).map(Job::state);
        if (state.isEmpty() || state.get().isTerminal()) {
          discard(id);
        }
      }
    }
    return running.size() + jobs.size();
  }

  private void advance(SchedulerDao.RunningJob running) {
    Tracked tracked = jobs.get(running.id());
    if (tracked != null && tracked.shardsDone() == running.shardsDone()) {
      return;
    }
    Job job = jdbi.onDemand(JobDao.class).findById(running.id()).orElse(null);
    if (job == null
        || job.state() != JobState.RUNNING
        || JobParamsJson.read(job.paramsJson()).output() == OutputFormat.PARQUET) {
      return;
    }
    List<Output> outputs;
    if (tracked == null) {
      outputs = outputKeys.apply(job).stream().map(Output::new).toList();
    } else {
      outputs = tracked.outputs();
    }
    List<JobInput> inputs = jdbi.onDemand(JobDao.class).inputs(job.id());
    boolean throttled = false;
    for (int i = 0; i < outputs.size(); i++) {
      Output output = outputs.get(i);
      if (!output.abandoned) {
        throttled |=
            !copyDone(
                output,
                jdbi.onDemand(ShardDao.class).listForInput(job.id(), inputs.get(i).position()));
      }
    }
    // a throttled output looks again at the next pass even if no more shards are done by then
    jobs.put(job.id(), new Tracked(outputs, throttled ? -1 : running.shardsDone()));
  }

  /**
   * Starts copies of the done shards after those already copied, stopping before the last one;
   * answers false when it stopped only because enough copies are in flight.
   */
  private boolean copyDone(Output output, List<Shard> shards) {
    while (output.nextShard < shards.size() - 1) {
      if (output.copying() >= COPIES_IN_FLIGHT) {
        return false;
      }
      Shard shard = shards.get(output.nextShard);
      if (shard.state() != ShardState.DONE || shard.outputKey() == null) {
        return true;
      }
      output.nextShard++;
      if (shard.outputBytes() == 0) {
        continue;
      }
      if (shard.outputBytes() < MultipartOutputStream.MIN_PART_BYTES) {
        abandon(output);
        return true;
      }
      if (output.uploadId == null) {
        output.uploadId = concatenator.startUpload(bucket, output.key);
      }
      int number = output.sources.size() + 1;
      output.sources.add(shard.outputKey());
      output.copies.add(
          concatenator.copyLater(bucket, shard.outputKey(), output.key, output.uploadId, number));
    }
    return true;
  }

  /**
   * Takes the outputs assembled ahead for {@code jobId}, or empty when there are none; the caller
   * then finishes each with {@link #finish} or abandons it.
   */
  Optional<List<Output>> take(UUID jobId) {
    return Optional.ofNullable(jobs.remove(jobId)).map(Tracked::outputs);
  }

  /**
   * Completes {@code output} with all of the input's parts, in order, if what it already holds is
   * their beginning; answers false (having aborted its upload) when it cannot, so the caller
   * assembles the output whole.
   */
  boolean finish(Output output, List<PartConcatenator.Part> parts) {
    List<PartConcatenator.Part> nonEmpty = PartConcatenator.nonEmpty(parts);
    boolean fits =
        !output.abandoned
            && output.uploadId != null
            && PartConcatenator.copyable(nonEmpty)
            && nonEmpty.size() >= output.sources.size()
            && nonEmpty.subList(0, output.sources.size()).stream()
                .map(PartConcatenator.Part::key)
                .toList()
                .equals(output.sources);
    if (!fits) {
      abandon(output);
      return false;
    }
    try {
      concatenator.finish(
          bucket,
          output.key,
          output.uploadId,
          output.copies,
          nonEmpty.subList(output.sources.size(), nonEmpty.size()));
      return true;
    } catch (RuntimeException e) {
      LOG.warn("Completing {} from its early copies failed; assembling it whole", output.key, e);
      return false;
    }
  }

  /** Aborts the uploads of {@code jobId}'s outputs, if any. */
  void discard(UUID jobId) {
    take(jobId).ifPresent(outputs -> outputs.forEach(this::abandon));
  }

  private void abandon(Output output) {
    output.abandoned = true;
    if (output.uploadId == null) {
      return;
    }
    for (Future<PartConcatenator.CompletedPart> copy : output.copies) {
      try {
        copy.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        // The upload goes anyway.
      }
    }
    try {
      concatenator.abort(bucket, output.key, output.uploadId);
    } catch (RuntimeException e) {
      LOG.warn("Aborting the upload of {} failed; the lifecycle rule removes it", output.key, e);
    }
    output.uploadId = null;
  }
}
