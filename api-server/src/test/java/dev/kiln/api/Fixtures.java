package dev.kiln.api;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.model.ShardState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test data through the API, plus what the scheduler would write (job states, outputs) straight
 * into Postgres and S3.
 */
public final class Fixtures {
  private final ApiHarness api;

  public Fixtures(ApiHarness api) {
    this.api = api;
  }

  public UUID accountId(String token) {
    return UUID.fromString(api.get("/api/v1/whoami", token).text("accountId"));
  }

  public String readyFile(String token) {
    return readyFile(token, "secret-name.csv");
  }

  public String readyFile(String token, String name) {
    return api.uploadFile(token, name, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
  }

  /** A file whose bytes are in S3 but whose upload is not completed yet. */
  public String uploadedPendingFile(String token) {
    byte[] bytes = "x\n".getBytes(StandardCharsets.UTF_8);
    Answer created =
        api.post("/api/v1/files", token, Map.of("name", "pending.txt", "sizeBytes", bytes.length));
    api.putTo(created.text("uploadUrl"), bytes);
    return created.text("id");
  }

  public String pendingFile(String token) {
    return api.post("/api/v1/files", token, Map.of("name", "pending.txt", "sizeBytes", 5))
        .text("id");
  }

  public String submittedJob(String token) {
    String file = readyFile(token);
    Answer answer =
        api.post("/api/v1/jobs", token, Map.of("processor", "parse", "inputs", List.of(file)));
    if (answer.status() != 202) {
      throw new IllegalStateException(answer.raw().body());
    }
    return answer.text("id");
  }

  /** A job the scheduler failed. */
  public String failedJob(String token) {
    String job = submittedJob(token);
    sql(
        "update jobs set state = ?, failure_reason = 'shard 0: boom', started_at = ?,"
            + " finished_at = ? where id = ?",
        JobState.FAILED.name(),
        Instant.now(),
        Instant.now(),
        UUID.fromString(job));
    return job;
  }

  /** A FAILED job with shard 0 DEAD after 3 attempts, shard 1 CANCELLED and shard 2 DONE. */
  public UUID deadLetterJob(String owner, String processor) {
    UUID job = UUID.fromString(failedJob(owner));
    sql("update jobs set processor = ? where id = ?", processor, job);
    Instant deadAt = Instant.now();
    shard(job, 0, ShardState.DEAD, "failed 3 of 3 attempts, last: out of memory", 3, deadAt);
    shard(job, 1, ShardState.CANCELLED, null, null, deadAt);
    shard(job, 2, ShardState.DONE, null, null, deadAt);
    return job;
  }

  /** Inserts shard {@code idx} of the job over byte {@code idx} of its first input. */
  public void shard(
      UUID job, int idx, ShardState state, String error, Integer attempts, Instant at) {
    sql(
        "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
            + " state, attempt, last_error, dead_attempts, updated_at) select j.id, ?, 0,"
            + " i.file_id, ?, ?, ?, 100003, ?, ?, ? from jobs j join job_inputs i on i.job_id ="
            + " j.id where j.id = ?",
        idx,
        (long) idx,
        (long) idx + 1,
        state.name(),
        error,
        attempts,
        at,
        job);
  }

  public String cancelledJob(String token) {
    String job = submittedJob(token);
    sql(
        "update jobs set state = ?, finished_at = ? where id = ?",
        JobState.CANCELLED.name(),
        Instant.now(),
        UUID.fromString(job));
    return job;
  }

  /** A job the scheduler finished, with an assembled output for input 0. */
  public String succeededJob(String token, String outputText) {
    String job = submittedJob(token);
    UUID owner = accountId(token);
    UUID jobId = UUID.fromString(job);
    UUID output = UUID.randomUUID();
    String key = owner + "/" + jobId + "/rows.csv.out";
    byte[] bytes = outputText.getBytes(StandardCharsets.UTF_8);
    api.stack()
        .s3Client()
        .putObject(
            r -> r.bucket(api.stack().resultsBucket()).key(key),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
    Instant now = Instant.now();
    sql(
        "insert into files (id, owner_id, name, bucket, object_key, size_bytes, etag, state,"
            + " created_at, completed_at) values (?, ?, 'rows.csv.out', ?, ?, ?, 'e', ?, ?,"
            + " ?)",
        output,
        owner,
        api.stack().resultsBucket(),
        key,
        (long) bytes.length,
        FileState.READY.name(),
        now,
        now);
    sql(
        "update job_inputs set output_file_id = ? where job_id = ? and position = 0",
        output,
        jobId);
    for (JobState state : List.of(JobState.RUNNING, JobState.ASSEMBLING)) {
      sql("update jobs set state = ? where id = ?", state.name(), jobId);
    }
    sql(
        "update jobs set state = ?, shards_total = 2, shards_done = 2, records = 7,"
            + " agent_seconds = 36, started_at = ?, finished_at = ? where id = ?",
        JobState.SUCCEEDED.name(),
        now,
        now,
        jobId);
    return job;
  }

  public String makeAdmin(String email) {
    String token = api.signup(email);
    sql("update accounts set role = 'ADMIN' where lower(email) = lower(?)", email);
    return token;
  }

  public void sql(String statement, Object... args) {
    try (Connection connection = api.stack().dataSource().getConnection();
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        prepared.setObject(
            i + 1, arg instanceof Instant instant ? java.sql.Timestamp.from(instant) : arg);
      }
      prepared.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
