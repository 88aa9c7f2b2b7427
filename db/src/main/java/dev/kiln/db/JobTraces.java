package dev.kiln.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The trace a job was submitted in ({@code job_traces}, {@code V98}). Stateless. */
public final class JobTraces {
  private JobTraces() {}

  /** Records the job's {@code traceparent}, inside the caller's transaction. */
  public static void record(Handle handle, UUID jobId, String traceParent) {
    handle
        .createUpdate("insert into job_traces (job_id, trace_parent) values (:jobId, :traceParent)")
        .bind("jobId", jobId)
        .bind("traceParent", traceParent)
        .execute();
  }

  /** The job's {@code traceparent}, if it was submitted in a trace. */
  public static Optional<String> find(Handle handle, UUID jobId) {
    return handle
        .createQuery("select trace_parent from job_traces where job_id = :jobId")
        .bind("jobId", jobId)
        .mapTo(String.class)
        .findOne();
  }
}
