package dev.kiln.protocol.queue;

import java.util.Map;
import java.util.UUID;

/**
 * Everything an agent needs to run one shard, carried by the work queue as JSON, so agents never
 * read Postgres.
 *
 * @param jobId the job
 * @param idx the shard's index within the job (output order)
 * @param ownerId the job's owner (fair share, object keys)
 * @param processor the processor name, as found by {@code ServiceLoader}
 * @param priority higher runs first within one owner
 * @param maxAttempts attempts before the shard is dead-lettered
 * @param inputBucket bucket of the input object
 * @param inputKey key of the input object
 * @param start first owned byte offset
 * @param end end of the owned range (exclusive) for record starts
 * @param objectSize size of the whole input object
 * @param format CSV, JSONL or TEXT
 * @param header the CSV header line, or null
 * @param modelKey key of the model zip in the uploads bucket, or null
 * @param modelEtag content hash of the model zip (cache key), or null
 * @param params processor parameters
 * @param resultsBucket where parts go
 * @param traceParent the W3C {@code traceparent} of the span that planned the shard, so the agent's
 *     span joins the job's trace; null when tracing is off
 */
public record ShardTask(
    UUID jobId,
    int idx,
    UUID ownerId,
    String processor,
    int priority,
    int maxAttempts,
    String inputBucket,
    String inputKey,
    long start,
    long end,
    long objectSize,
    String format,
    String header,
    String modelKey,
    String modelEtag,
    Map<String, String> params,
    String resultsBucket,
    String traceParent) {

  public ShardTask {
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  /** A task outside any trace. */
  public ShardTask(
      UUID jobId,
      int idx,
      UUID ownerId,
      String processor,
      int priority,
      int maxAttempts,
      String inputBucket,
      String inputKey,
      long start,
      long end,
      long objectSize,
      String format,
      String header,
      String modelKey,
      String modelEtag,
      Map<String, String> params,
      String resultsBucket) {
    this(
        jobId,
        idx,
        ownerId,
        processor,
        priority,
        maxAttempts,
        inputBucket,
        inputKey,
        start,
        end,
        objectSize,
        format,
        header,
        modelKey,
        modelEtag,
        params,
        resultsBucket,
        null);
  }

  /** This task inside the trace {@code traceParent} names. */
  public ShardTask withTraceParent(String traceParent) {
    return new ShardTask(
        jobId,
        idx,
        ownerId,
        processor,
        priority,
        maxAttempts,
        inputBucket,
        inputKey,
        start,
        end,
        objectSize,
        format,
        header,
        modelKey,
        modelEtag,
        params,
        resultsBucket,
        traceParent);
  }

  public ShardRef ref(int attempt) {
    return new ShardRef(jobId, idx, attempt);
  }
}
