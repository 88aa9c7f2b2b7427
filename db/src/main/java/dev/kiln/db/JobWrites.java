package dev.kiln.db;

import dev.kiln.model.Job;
import dev.kiln.model.OutboxEventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The writes of a job submission, against the handle: the same statements as {@link JobDao} and
 * {@link OutboxDao}, without a SQL object's per-call set-up, which costs more CPU than the inserts.
 * Call inside a transaction. Stateless.
 */
public final class JobWrites {
  private JobWrites() {}

  /** Inserts the job, its inputs in order and its {@code job.submitted} event. */
  public static void insertSubmitted(Handle handle, Job job, List<UUID> inputs) {
    insertSubmitted(handle, job, inputs, null);
  }

  /**
   * Inserts the job with the hash of the request that created it (null when it came without an
   * idempotency key), its inputs in order and its {@code job.submitted} event.
   */
  public static void insertSubmitted(
      Handle handle, Job job, List<UUID> inputs, String requestHash) {
    handle
        .createUpdate(JobDao.INSERT_WITH_REQUEST_HASH)
        .bind("requestHash", requestHash)
        .bind("id", job.id())
        .bind("ownerId", job.ownerId())
        .bind("processor", job.processor())
        .bind("modelFileId", job.modelFileId())
        .bind("paramsJson", job.paramsJson())
        .bind("priority", job.priority())
        .bind("state", job.state().name())
        .bind("idempotencyKey", job.idempotencyKey())
        .bind("createdAt", job.createdAt())
        .execute();
    PreparedBatch batch = handle.prepareBatch(JobDao.INSERT_INPUT);
    for (int position = 0; position < inputs.size(); position++) {
      batch
          .bind("jobId", job.id())
          .bind("position", position)
          .bind("fileId", inputs.get(position))
          .add();
    }
    batch.execute();
    appendEvent(
        handle,
        job.id(),
        job.ownerId(),
        OutboxEventType.SUBMITTED,
        "{\"jobId\":\"" + job.id() + "\"}",
        job.createdAt());
  }

  /** Appends one event to the outbox. */
  public static void appendEvent(
      Handle handle,
      UUID jobId,
      UUID ownerId,
      OutboxEventType type,
      String payloadJson,
      Instant at) {
    handle
        .createUpdate(OutboxDao.APPEND)
        .bind("jobId", jobId)
        .bind("ownerId", ownerId)
        .bind("type", type)
        .bind("payloadJson", payloadJson)
        .bind("createdAt", at)
        .execute();
  }
}
