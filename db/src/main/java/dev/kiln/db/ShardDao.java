package dev.kiln.db;

import dev.kiln.model.Shard;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code shards} of a job. */
@RegisterConstructorMapper(Shard.class)
public interface ShardDao {
  String COLUMNS =
      "job_id, idx, input_position, file_id, start_offset, end_offset, state, attempt,"
          + " output_key, output_bytes, records, errors, agent_seconds, last_error, updated_at";

  @SqlBatch(
      "insert into shards (job_id, idx, input_position, file_id, start_offset, end_offset,"
          + " state, attempt, updated_at) values (:jobId, :idx, :inputPosition, :fileId,"
          + " :startOffset, :endOffset, :state, :attempt, :updatedAt)")
  void insertAll(@BindMethods List<Shard> shards);

  @SqlQuery("select " + COLUMNS + " from shards where job_id = :jobId order by idx")
  List<Shard> listForJob(UUID jobId);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from shards where job_id = :jobId and input_position = :inputPosition"
          + " order by idx")
  List<Shard> listForInput(UUID jobId, int inputPosition);

  /** Every shard still waiting for work, for rebuilding the Redis queue. */
  @SqlQuery(
      "select s.job_id, s.idx, s.input_position, s.file_id, s.start_offset, s.end_offset,"
          + " s.state, s.attempt, s.output_key, s.output_bytes, s.records, s.errors,"
          + " s.agent_seconds, s.last_error, s.updated_at from shards s join jobs j on j.id ="
          + " s.job_id where s.state = <shard_QUEUED> and j.state = <job_RUNNING> order by s.job_id,"
          + " s.idx")
  List<Shard> listQueuedOfRunningJobs();

  @SqlQuery("select count(*) from shards where job_id = :jobId and state <> <shard_DONE>")
  int countNotDone(UUID jobId);

  @SqlUpdate(
      "update shards set state = <shard_DEAD>, attempt = :attempt, last_error = :error,"
          + " updated_at = :now where job_id = :jobId and idx = :idx and state = <shard_QUEUED>")
  int markDead(UUID jobId, int idx, int attempt, String error, Instant now);

  @SqlUpdate(
      "update shards set state = <shard_CANCELLED>, updated_at = :now where job_id = :jobId"
          + " and state = <shard_QUEUED>")
  int cancelQueued(UUID jobId, Instant now);

  /**
   * Puts the shards a failed job did not finish (dead-lettered, or cancelled when it failed) back
   * to waiting once the owner (or an operator) has retried the job; answers how many. Nothing moves
   * unless the job is running again; a shard an operator discarded never moves.
   */
  @SqlUpdate(
      "update shards set state = <shard_QUEUED>, last_error = null, dead_attempts = null,"
          + " updated_at = :now where job_id = :jobId and state in (<shard_DEAD>, <shard_CANCELLED>)"
          + " and discarded_at is null and exists"
          + " (select 1 from jobs j where j.id = :jobId and j.state = <job_RUNNING>)")
  int requeueForRetry(UUID jobId, Instant now);

  /** How many of the job's shards an operator discarded (failed for good). */
  @SqlQuery("select count(*) from shards where job_id = :jobId and discarded_at is not null")
  int countDiscarded(UUID jobId);
}
