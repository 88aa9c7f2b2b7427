package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.JobState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as its owner sees it: spec, state, progress, timings, cost and outputs. */
public record JobView(
    UUID id,
    JobState state,
    String processor,
    UUID model,
    JsonNode params,
    int priority,
    String idempotencyKey,
    List<Input> inputs,
    Progress progress,
    Timings timings,
    Cost cost,
    String failureReason) {

  /**
   * One input file and, once assembled, its output file; {@code shardNote} says why the input ran
   * as one shard when it could not be cut (a gzip or zstd input), and is null otherwise.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(int position, UUID fileId, UUID outputFileId, String shardNote) {}

  /** The same job with other progress. */
  public JobView withProgress(Progress other) {
    return new JobView(
        id,
        state,
        processor,
        model,
        params,
        priority,
        idempotencyKey,
        inputs,
        other,
        timings,
        cost,
        failureReason);
  }

  /**
   * Shards done of total, records and errors so far; while the job runs, {@code records} and {@code
   * percent} include what its running shards have read ({@code recordsInRunningShards}), as their
   * agents report it about once a second.
   */
  public record Progress(
      int shardsDone,
      int shardsTotal,
      long records,
      long errors,
      double percent,
      long recordsInRunningShards) {
    /** Progress of finished shards alone. */
    public Progress(int shardsDone, int shardsTotal, long records, long errors, double percent) {
      this(shardsDone, shardsTotal, records, errors, percent, 0);
    }
  }

  /** When the job was accepted, started and finished; {@code elapsedSeconds} so far or in all. */
  public record Timings(
      Instant createdAt, Instant startedAt, Instant finishedAt, Double elapsedSeconds) {}

  /** Agent time spent and what it cost at the configured hourly price. */
  public record Cost(double agentSeconds, double usd) {}
}
