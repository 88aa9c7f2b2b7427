package dev.kiln.model;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code jobs}: the spec, the state and the running totals the owner sees. */
public record Job(
    UUID id,
    UUID ownerId,
    String processor,
    UUID modelFileId,
    String paramsJson,
    int priority,
    JobState state,
    String failureReason,
    String idempotencyKey,
    int shardsTotal,
    int shardsDone,
    long records,
    long errors,
    double agentSeconds,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  /** A job as submitted: nothing planned, run or spent yet. */
  public static Job submitted(
      UUID id,
      UUID ownerId,
      String processor,
      UUID modelFileId,
      String paramsJson,
      int priority,
      String idempotencyKey,
      Instant createdAt) {
    return new Job(
        id,
        ownerId,
        processor,
        modelFileId,
        paramsJson,
        priority,
        JobState.SUBMITTED,
        null,
        idempotencyKey,
        0,
        0,
        0,
        0,
        0,
        createdAt,
        null,
        null);
  }
}
