package dev.kiln.api.service;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.DeadLetterDao;
import dev.kiln.api.db.DeadLetterDao.DeadLetter;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.DeadLetterCursor;
import dev.kiln.client.api.DeadLetterView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.RequeueView;
import dev.kiln.db.JobDao;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.ShardDao;
import dev.kiln.model.OutboxEventType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's dead letters: list, requeue (one, or a bounded batch) and discard. A requeue is a
 * retry of the failed job on the operator's behalf: the job goes {@code FAILED -> RUNNING} with a
 * {@code job.retried} event in one transaction, and the scheduler's outbox reactor then moves the
 * job's dead and cancelled shards back to QUEUED and enqueues them with a fresh attempt budget, as
 * it does for the owner's retry. Each action is written to the audit log. Thread-safe.
 */
public final class DeadLetterService {
  /** Most failed jobs one batch requeue reopens. */
  public static final int REQUEUE_BATCH_JOBS = 500;

  private static final String LAST_ERROR_MARK = "last: ";

  private final Jdbi jdbi;
  private final JobService jobs;
  private final AuditTrail audit;
  private final Clock clock;
  private final CreditService credits;

  public DeadLetterService(
      Jdbi jdbi, JobService jobs, AuditTrail audit, CreditService credits, Clock clock) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.audit = audit;
    this.clock = clock;
    this.credits = credits;
  }

  public Page<DeadLetterView> list(
      KilnPrincipal admin, String processor, UUID jobId, DeadLetterCursor after, int limit) {
    Map<String, Object> filters = new LinkedHashMap<>();
    if (processor != null) {
      filters.put("processor", processor);
    }
    if (jobId != null) {
      filters.put("jobId", jobId.toString());
    }
    audit.record(admin, "deadletters.list", "shard", "*", filters);
    List<DeadLetter> rows =
        jdbi.onDemand(DeadLetterDao.class)
            .page(
                processor,
                jobId,
                after == null ? null : after.deadAt(),
                after == null ? null : after.jobId(),
                after == null ? null : after.shardIndex(),
                limit + 1);
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      DeadLetter last = rows.get(limit - 1);
      next = new DeadLetterCursor(last.deadAt(), last.jobId(), last.idx()).encode();
    }
    return new Page<>(rows.stream().map(DeadLetterService::view).toList(), next);
  }

  /**
   * Requeues the dead letter {@code (jobId, shardIndex)} by reopening its failed job: every shard
   * the job did not finish runs again, since a job cannot succeed with a shard left dead.
   */
  public RequeueView requeue(KilnPrincipal admin, UUID jobId, int shardIndex) {
    try {
      int shards = requeueInTransaction(admin, jobId, shardIndex);
      jobs.changed(jobId);
      return new RequeueView(1, shards, false, List.of());
    } catch (CreditService.InsufficientCredits e) {
      throw unpaid(jobId, e);
    }
  }

  private int requeueInTransaction(KilnPrincipal admin, UUID jobId, int shardIndex) {
    return jdbi.inTransaction(
        handle -> {
          DeadLetter dead =
              handle
                  .attach(DeadLetterDao.class)
                  .lock(jobId, shardIndex)
                  .orElseThrow(() -> noDeadLetter(jobId, shardIndex));
          if (handle.attach(ShardDao.class).countDiscarded(jobId) > 0) {
            throw ApiException.conflict(
                "A shard of job "
                    + jobId
                    + " was discarded, so the job cannot succeed; discard this dead letter"
                    + " too, or have its owner submit the job anew.");
          }
          int rerun = reopen(handle, jobId, dead.ownerId());
          if (rerun < 0) {
            throw ApiException.conflict(
                "Job " + jobId + " changed state meanwhile; list the dead letters again.");
          }
          audit.record(
              handle,
              admin,
              "deadletter.requeue",
              "shard",
              jobId + "/" + shardIndex,
              Map.of("jobId", jobId.toString(), "shardIndex", shardIndex, "shards", rerun));
          return rerun;
        });
  }

  /**
   * Requeues every matching dead letter ({@code processor} and {@code jobId} null: all), reopening
   * at most {@link #REQUEUE_BATCH_JOBS} failed jobs in one transaction.
   */
  public RequeueView requeueAll(KilnPrincipal admin, String processor, UUID jobId) {
    List<UUID> reopened = new ArrayList<>();
    List<UUID> unpaid = new ArrayList<>();
    int[] totals = new int[2];
    jdbi.useTransaction(
        handle -> {
          Map<UUID, UUID> owners =
              handle
                  .attach(DeadLetterDao.class)
                  .requeueableJobs(processor, jobId, REQUEUE_BATCH_JOBS + 1);
          int taken = 0;
          for (Map.Entry<UUID, UUID> job : owners.entrySet()) {
            if (taken == REQUEUE_BATCH_JOBS) {
              totals[1] = 1;
              break;
            }
            taken++;
            int rerun = reopenIfPaid(handle, job.getKey(), job.getValue(), unpaid);
            if (rerun >= 0) {
              reopened.add(job.getKey());
              totals[0] += rerun;
            }
          }
          Map<String, Object> detail = new LinkedHashMap<>();
          if (processor != null) {
            detail.put("processor", processor);
          }
          if (jobId != null) {
            detail.put("jobId", jobId.toString());
          }
          detail.put("jobs", reopened.size());
          if (!unpaid.isEmpty()) {
            detail.put("unpaid", unpaid.size());
          }
          detail.put("shards", totals[0]);
          audit.record(handle, admin, "deadletters.requeue", "shard", "*", detail);
        });
    reopened.forEach(jobs::changed);
    return new RequeueView(reopened.size(), totals[0], totals[1] == 1, List.copyOf(unpaid));
  }

  /**
   * Discards the dead letter: the shard is failed for good, it leaves the list, and its job stays
   * FAILED: it can no longer be requeued or retried.
   */
  public void discard(KilnPrincipal admin, UUID jobId, int shardIndex) {
    jdbi.useTransaction(
        handle -> {
          DeadLetterDao deadLetters = handle.attach(DeadLetterDao.class);
          DeadLetter dead =
              deadLetters
                  .lock(jobId, shardIndex)
                  .orElseThrow(() -> noDeadLetter(jobId, shardIndex));
          deadLetters.discard(jobId, shardIndex, clock.instant());
          audit.record(
              handle,
              admin,
              "deadletter.discard",
              "shard",
              jobId + "/" + shardIndex,
              Map.of(
                  "jobId",
                  jobId.toString(),
                  "shardIndex",
                  shardIndex,
                  "reason",
                  String.valueOf(dead.lastError())));
        });
    jobs.changed(jobId);
  }

  /**
   * Reopens the failed job for a retry on the operator's behalf and writes its event; answers how
   * many shards run again, or -1 when the job was no longer failed.
   */
  private int reopen(Handle handle, UUID jobId, UUID ownerId) {
    Instant now = clock.instant();
    int rerun = handle.attach(DeadLetterDao.class).countToRerun(jobId);
    if (handle.attach(JobDao.class).reopenFailed(jobId, ownerId, now) == 0) {
      return -1;
    }
    credits.reserveRetry(handle, ownerId, jobId);
    handle
        .attach(OutboxDao.class)
        .append(jobId, ownerId, OutboxEventType.RETRIED, "{\"by\":\"operator\"}", now);
    return rerun;
  }

  /**
   * {@link #reopen} within a savepoint: a job whose owner's credits do not cover what it runs again
   * stays failed and is added to {@code unpaid} (answers -1), and the batch goes on.
   */
  private int reopenIfPaid(Handle handle, UUID jobId, UUID ownerId, List<UUID> unpaid) {
    String savepoint = "requeue_job";
    handle.savepoint(savepoint);
    try {
      int rerun = reopen(handle, jobId, ownerId);
      handle.releaseSavepoint(savepoint);
      return rerun;
    } catch (CreditService.InsufficientCredits e) {
      handle.rollbackToSavepoint(savepoint);
      unpaid.add(jobId);
      return -1;
    }
  }

  private static ApiException unpaid(UUID jobId, CreditService.InsufficientCredits refused) {
    return new ApiException(
        402,
        "credits-insufficient",
        "Not enough credits",
        "The owner of job "
            + jobId
            + " has too few credits for what it runs again (about "
            + refused.needed().setScale(2, java.math.RoundingMode.UP).toPlainString()
            + " USD); grant them credits (the console's users view, or POST"
            + " /api/v1/admin/accounts/{id}/credits), then requeue.",
        Map.of(),
        Map.of("neededUsd", refused.needed()));
  }

  private static ApiException noDeadLetter(UUID jobId, int shardIndex) {
    return ApiException.notFound(
        "Shard "
            + shardIndex
            + " of job "
            + jobId
            + " is not a dead letter (it never died, was requeued or was discarded); list them"
            + " with GET /api/v1/admin/dead-letters.");
  }

  private static DeadLetterView view(DeadLetter dead) {
    String reason = dead.lastError();
    String lastError = reason;
    if (reason != null && reason.contains(LAST_ERROR_MARK)) {
      lastError = reason.substring(reason.indexOf(LAST_ERROR_MARK) + LAST_ERROR_MARK.length());
    }
    return new DeadLetterView(
        dead.jobId(),
        dead.idx(),
        dead.processor(),
        dead.ownerId(),
        dead.ownerEmail(),
        reason,
        dead.deadAttempts(),
        lastError,
        dead.deadAt());
  }
}
