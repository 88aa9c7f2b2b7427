package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.KeysetPage;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobEvent;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.db.JobReads;
import dev.kiln.db.JobTraces;
import dev.kiln.db.JobWrites;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.db.UniqueViolations;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.model.InvalidValueException;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEvent;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Pricing;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.LogFields;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.progress.RunningShards;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Job submission and the owner's view of jobs. A submission is one transaction (job, inputs, outbox
 * {@code job.submitted}) followed by a best-effort nudge on the Redis topic {@value
 * RedisKeys#JOBS_SUBMITTED}; the scheduler also finds the job without it. Thread-safe.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  /** What users may run. */
  public record Processors(Set<String> known, Set<String> needingModel) {}

  /** A created job and whether it already existed under the idempotency key. */
  public record Submitted(JobView job, boolean replayed) {}

  private final JobReadCache reads;
  private final Jdbi jdbi;
  private final JobDao jobs;
  private final FileDao files;
  private final OutboxDao outbox;
  private final FileService fileService;
  private final ObjectStore store;
  private final RedissonClient redis;
  private final Processors processors;
  private final Pricing pricing;
  private final ObjectMapper json;
  private final RequestHash requestHash = new RequestHash();
  private final Clock clock;
  private final BudgetCheck budget;
  private final CreditService credits;
  private final RunningShards runningShards;

  public JobService(
      DatabaseFactory.Database database,
      JobReadCache reads,
      FileService fileService,
      ObjectStore store,
      RedissonClient redis,
      Processors processors,
      Pricing pricing,
      CreditService credits,
      ObjectMapper json,
      Clock clock) {
    this.credits = credits;
    this.reads = reads;
    this.jdbi = database.jdbi();
    this.jobs = jdbi.onDemand(JobDao.class);
    this.files = jdbi.onDemand(FileDao.class);
    this.outbox = jdbi.onDemand(OutboxDao.class);
    this.fileService = fileService;
    this.store = store;
    this.redis = redis;
    this.runningShards = new RunningShards(redis);
    this.processors = processors;
    this.pricing = pricing;
    this.json = json;
    this.clock = clock;
    this.budget = new BudgetCheck(jdbi, pricing, clock);
  }

  public Submitted submit(UUID ownerId, JobCreateRequest request, String idempotencyKey) {
    String key = checkIdempotencyKey(idempotencyKey);
    String hash = key == null ? null : requestHash.of(request);
    if (key != null) {
      Optional<Job> existing = findByIdempotencyKey(ownerId, key);
      if (existing.isPresent()) {
        return replay(ownerId, key, hash, existing.get());
      }
    }
    try {
      request.params().requireSubmittable();
    } catch (InvalidValueException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!processors.known().contains(request.processor())) {
      throw ApiException.validation(
          "Unknown processor '"
              + request.processor()
              + "'; use one of "
              + String.join(", ", processors.known().stream().sorted().toList())
              + ".");
    }
    UUID modelId = request.model();
    if (processors.needingModel().contains(request.processor()) && modelId == null) {
      throw ApiException.validation(
          "The processor '"
              + request.processor()
              + "' needs 'model': the id of an uploaded model file (a zipped SavedModel).");
    }
    if (modelId != null) {
      fileService.requireReady(ownerId, modelId, "model");
    }
    List<Long> inputSizes = new java.util.ArrayList<>();
    for (UUID input : request.inputs()) {
      inputSizes.add(fileService.requireReady(ownerId, input, "inputs").sizeBytes());
    }
    budget
        .refusal(ownerId)
        .ifPresent(
            refusal -> {
              throw new ApiException(402, "budget-exceeded", "Monthly budget reached", refusal);
            });
    String params = JobParamsJson.write(request.params());
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    Job job =
        Job.submitted(
            id, ownerId, request.processor(), modelId, params, request.priority(), key, now);
    long shardBytes = CreditService.estimatedShardBytes(request.params());
    try {
      Optional<String> trace = Tracing.currentTraceParent();
      jdbi.useTransaction(
          handle -> {
            JobWrites.insertSubmitted(handle, job, request.inputs(), hash);
            credits.reserve(handle, ownerId, id, inputSizes, shardBytes);
            trace.ifPresent(traceParent -> JobTraces.record(handle, id, traceParent));
          });
    } catch (CreditService.InsufficientCredits e) {
      throw credits.refusal(ownerId, e, "submit again");
    } catch (RuntimeException e) {
      if (key != null && UniqueViolations.isUniqueViolation(e)) {
        return replay(ownerId, key, hash, findByIdempotencyKey(ownerId, key).orElseThrow());
      }
      throw e;
    }
    MDC.put(LogFields.JOB, id.toString());
    LOG.info(
        "Accepted job {}: {} on {} input(s)", id, request.processor(), request.inputs().size());
    announce(id);
    return new Submitted(view(job, inputsOf(request.inputs(), id)), false);
  }

  /** Tells the scheduler a job waits for planning; its poll finds the job if this is lost. */
  private void announce(UUID id) {
    try {
      redis.getTopic(RedisKeys.JOBS_SUBMITTED).publishAsync(id.toString());
    } catch (RuntimeException e) {
      LOG.warn("Could not announce job {}; the scheduler's poll will find it", id, e);
    }
  }

  /** The job already submitted under {@code key}, or 422 when it was for another request. */
  private Submitted replay(UUID ownerId, String key, String hash, Job existing) {
    Optional<String> stored =
        jdbi.withHandle(handle -> JobReads.requestHashOf(handle, ownerId, key));
    if (stored.isPresent() && !stored.get().equals(hash)) {
      throw new ApiException(
          422,
          "idempotency-key-reused",
          "Idempotency-Key reused with another request",
          "The Idempotency-Key '"
              + key
              + "' was already used for job "
              + existing.id()
              + " with a different request body; send a new key for a new job, or the same body"
              + " to get that job again.");
    }
    return new Submitted(view(existing), true);
  }

  private Optional<Job> findByIdempotencyKey(UUID ownerId, String key) {
    return jdbi.withHandle(handle -> JobReads.findByIdempotencyKey(handle, ownerId, key));
  }

  /**
   * The owner's job with its inputs, possibly as read up to {@code jobs.readCacheLifetime} ago (see
   * {@link JobReadCache}).
   */
  public JobView get(UUID ownerId, UUID jobId) {
    return live(view(reads.find(jobId, ownerId).orElseThrow(() -> notFound(jobId))));
  }

  /** The owner's job with its inputs, read from the database. */
  public JobView getFresh(UUID ownerId, UUID jobId) {
    return live(view(reads.findFresh(jobId, ownerId).orElseThrow(() -> notFound(jobId))));
  }

  /**
   * A running job's view with what its running shards have read added ({@link RunningShards}); the
   * view as it is when nothing runs or Redis cannot tell.
   */
  private JobView live(JobView view) {
    if (view.state() != JobState.RUNNING) {
      return view;
    }
    RunningShards.Summary running;
    try {
      running = runningShards.of(view.id());
    } catch (RuntimeException e) {
      LOG.debug("Could not read the running shards of job {}", view.id(), e);
      return view;
    }
    if (running.records() == 0 && running.shards() == 0) {
      return view;
    }
    JobView.Progress done = view.progress();
    double percent =
        done.shardsTotal() == 0
            ? done.percent()
            : Math.min(
                99.9,
                Math.round(1000.0 * (done.shardsDone() + running.shards()) / done.shardsTotal())
                    / 10.0);
    return view.withProgress(
        new JobView.Progress(
            done.shardsDone(),
            done.shardsTotal(),
            done.records() + running.records(),
            done.errors(),
            percent,
            running.records()));
  }

  private JobView view(JobReads.JobWithInputs found) {
    return view(found.job(), found.inputs());
  }

  public Page<JobView> list(UUID ownerId, JobState state, Cursor cursor, int limit) {
    return KeysetPage.fetch(
            cursor,
            limit,
            (createdAt, id, rows) -> jobs.page(ownerId, state, createdAt, id, rows),
            JobService::cursorOf)
        .toPage(this::view);
  }

  /** Cancels a job that has not finished; the scheduler stops its shards on the event. */
  public JobView cancel(UUID ownerId, UUID jobId) {
    return cancel(ownerId, jobId, "owner");
  }

  /**
   * Cancels a job of {@code ownerId} that has not finished on behalf of {@code by} ({@code owner}
   * or {@code operator}), named in the job's failure reason and its event.
   */
  public JobView cancel(UUID ownerId, UUID jobId, String by) {
    Job job = require(ownerId, jobId);
    if (job.state().isTerminal()) {
      throw ApiException.conflict(
          "The job is already " + job.state() + "; only unfinished jobs can be cancelled.");
    }
    boolean moved =
        jdbi.inTransaction(
            handle -> {
              Instant now = clock.instant();
              int updated =
                  handle
                      .attach(JobDao.class)
                      .cancelForOwner(jobId, ownerId, "cancelled by the " + by, now);
              if (updated == 1) {
                handle
                    .attach(OutboxDao.class)
                    .append(
                        jobId, ownerId, OutboxEventType.CANCELLED, "{\"by\":\"" + by + "\"}", now);
              }
              return updated == 1;
            });
    if (!moved) {
      Job now = require(ownerId, jobId);
      throw ApiException.conflict(
          "The job finished (" + now.state() + ") before it could be cancelled.");
    }
    reads.changed(jobId);
    return getFresh(ownerId, jobId);
  }

  /**
   * Runs a FAILED job's failed shards again, or a CANCELLED job's unfinished ones (planned anew
   * when it was cancelled before planning).
   */
  public JobView retry(UUID ownerId, UUID jobId) {
    Job job = require(ownerId, jobId);
    boolean cancelled = job.state() == JobState.CANCELLED;
    if (job.state() != JobState.FAILED && !cancelled) {
      throw ApiException.conflict(
          "The job is " + job.state() + "; only a FAILED or CANCELLED job can be retried.");
    }
    boolean reopened;
    try {
      reopened = reopen(ownerId, jobId, cancelled);
    } catch (CreditService.InsufficientCredits e) {
      throw credits.refusal(ownerId, e, "retry it");
    }
    if (!reopened) {
      if (jdbi.onDemand(ShardDao.class).countDiscarded(jobId) > 0) {
        throw ApiException.conflict(
            "An operator discarded a failed shard of this job, so it cannot run again; submit it"
                + " anew.");
      }
      if (cancelled && jobs.partsDeleted(jobId)) {
        throw ApiException.conflict(
            "The job was cancelled too long ago: what its finished shards wrote is deleted, so it"
                + " cannot resume; run it again as a new job.");
      }
      throw ApiException.conflict("The job changed state meanwhile; fetch it and try again.");
    }
    reads.changed(jobId);
    JobView view = getFresh(ownerId, jobId);
    if (view.state() == JobState.SUBMITTED) {
      announce(jobId);
    }
    return view;
  }

  /**
   * Reopens the job for its retry and holds the credits of what runs again, in one transaction;
   * answers false when the job could not be reopened.
   */
  private boolean reopen(UUID ownerId, UUID jobId, boolean cancelled) {
    return jdbi.inTransaction(
        handle -> {
          Instant now = clock.instant();
          JobDao dao = handle.attach(JobDao.class);
          int moved =
              cancelled
                  ? dao.reopenCancelled(jobId, ownerId)
                  : dao.reopenFailed(jobId, ownerId, now);
          if (moved == 0) {
            return false;
          }
          credits.reserveRetry(handle, ownerId, jobId);
          handle
              .attach(OutboxDao.class)
              .append(jobId, ownerId, OutboxEventType.RETRIED, "{\"by\":\"owner\"}", now);
          return true;
        });
  }

  /** Tells every API process that the job changed, after a change made outside this class. */
  public void changed(UUID jobId) {
    reads.changed(jobId);
  }

  /** Deletes a finished job, its output files and its parts. */
  public void delete(UUID ownerId, UUID jobId) {
    Job job = require(ownerId, jobId);
    if (!job.state().isTerminal()) {
      throw ApiException.conflict(
          "The job is " + job.state() + "; cancel it (POST .../cancel) before deleting it.");
    }
    List<JobInput> inputs = jobs.inputs(jobId);
    List<StoredFile> outputs =
        inputs.stream()
            .map(JobInput::outputFileId)
            .filter(java.util.Objects::nonNull)
            .map(fileId -> files.findForOwner(fileId, ownerId))
            .flatMap(Optional::stream)
            .toList();
    jdbi.useTransaction(
        handle -> {
          handle.attach(JobDao.class).deleteForOwner(jobId, ownerId);
          FileDao fileDao = handle.attach(FileDao.class);
          for (StoredFile output : outputs) {
            fileDao.deleteForOwner(output.id(), ownerId);
          }
        });
    reads.changed(jobId);
    try {
      for (StoredFile output : outputs) {
        store.delete(output.bucket(), output.objectKey());
      }
      store.deletePrefix(store.settings().resultsBucket(), ownerId + "/" + jobId + "/");
    } catch (RuntimeException e) {
      LOG.warn("Could not delete every object of job {}; lifecycle rules expire them", jobId, e);
    }
  }

  /** A presigned download of the output of input {@code position}. */
  public DownloadView downloadOutput(UUID ownerId, UUID jobId, int position) {
    Job job = require(ownerId, jobId);
    JobInput input =
        jobs.inputs(jobId).stream()
            .filter(i -> i.position() == position)
            .findFirst()
            .orElseThrow(
                () -> ApiException.notFound("The job has no input at position " + position + "."));
    if (input.outputFileId() == null) {
      throw ApiException.conflict(
          job.state() == JobState.CANCELLED
              ? "The job was cancelled; it has no output."
              : "The output of input " + position + " is not assembled yet; wait for SUCCEEDED.");
    }
    return fileService.download(ownerId, input.outputFileId());
  }

  /** The job's events after {@code afterId}, oldest first. */
  public List<JobEvent> eventsAfter(UUID ownerId, UUID jobId, long afterId) {
    require(ownerId, jobId);
    return outbox.forJobAfter(jobId, afterId).stream().map(this::event).toList();
  }

  public Job require(UUID ownerId, UUID jobId) {
    return jdbi.withHandle(handle -> JobReads.findForOwner(handle, jobId, ownerId))
        .orElseThrow(() -> notFound(jobId));
  }

  private static ApiException notFound(UUID jobId) {
    return ApiException.notFound("No job " + jobId + " in your account.");
  }

  private JobEvent event(OutboxEvent event) {
    return new JobEvent(
        event.id(),
        event.jobId(),
        event.type().wireName(),
        parse(event.payloadJson()),
        event.createdAt());
  }

  public JobView view(Job job) {
    return view(job, jdbi.withHandle(handle -> JobReads.inputs(handle, job.id())));
  }

  /** The job's position in the newest-first job listings. */
  static Cursor cursorOf(Job job) {
    return new Cursor(job.createdAt(), job.id());
  }

  private static List<JobInput> inputsOf(List<UUID> fileIds, UUID jobId) {
    return java.util.stream.IntStream.range(0, fileIds.size())
        .mapToObj(
            position -> new JobInput(jobId, position, fileIds.get(position), null, null, null))
        .toList();
  }

  JobView view(Job job, List<JobInput> inputs) {
    double percent =
        job.shardsTotal() == 0
            ? (job.state() == JobState.SUCCEEDED ? 100.0 : 0.0)
            : Math.round(1000.0 * job.shardsDone() / job.shardsTotal()) / 10.0;
    Instant end = job.finishedAt() != null ? job.finishedAt() : clock.instant();
    Double elapsed =
        job.startedAt() == null ? null : Duration.between(job.startedAt(), end).toMillis() / 1000.0;
    double usd = pricing.shownCostUsd(job.agentSeconds());
    return new JobView(
        job.id(),
        job.state(),
        job.processor(),
        job.modelFileId(),
        parse(job.paramsJson()),
        job.priority(),
        job.idempotencyKey(),
        inputs.stream()
            .map(i -> new JobView.Input(i.position(), i.fileId(), i.outputFileId(), i.shardNote()))
            .toList(),
        new JobView.Progress(
            job.shardsDone(), job.shardsTotal(), job.records(), job.errors(), percent),
        new JobView.Timings(job.createdAt(), job.startedAt(), job.finishedAt(), elapsed),
        new JobView.Cost(job.agentSeconds(), usd),
        job.failureReason());
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text == null ? "{}" : text);
    } catch (JsonProcessingException e) {
      return json.createObjectNode();
    }
  }

  static String checkIdempotencyKey(String key) {
    if (key == null) {
      return null;
    }
    if (key.isBlank()
        || key.length() > 200
        || dev.kiln.client.api.Validation.hasControlCharacters(key)) {
      throw ApiException.badRequest(
          "The Idempotency-Key header must be 1 to 200 printable characters, such as a UUID.");
    }
    return key.strip();
  }
}
