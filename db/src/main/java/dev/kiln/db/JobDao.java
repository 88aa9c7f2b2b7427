package dev.kiln.db;

import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code jobs} aggregate with its inputs. User-facing queries name the owner. */
@RegisterConstructorMapper(Job.class)
@RegisterConstructorMapper(JobInput.class)
public interface JobDao {
  String COLUMNS =
      "id, owner_id, processor, model_file_id, params_json::text as params_json, priority, state,"
          + " failure_reason, idempotency_key, shards_total, shards_done, records, errors,"
          + " agent_seconds, created_at, started_at, finished_at";

  String INSERT =
      "insert into jobs (id, owner_id, processor, model_file_id, params_json, priority, state,"
          + " idempotency_key, created_at) values (:id, :ownerId, :processor, :modelFileId,"
          + " cast(:paramsJson as jsonb), :priority, :state, :idempotencyKey, :createdAt)";

  String INSERT_INPUT =
      "insert into job_inputs (job_id, position, file_id) values (:jobId, :position, :fileId)";

  /**
   * {@link #INSERT} with the hash of the request that created the job under its idempotency key,
   * stored in the same statement so a submission costs one write.
   */
  String INSERT_WITH_REQUEST_HASH =
      "insert into jobs (id, owner_id, processor, model_file_id, params_json, priority, state,"
          + " idempotency_key, idempotency_hash, created_at) values (:id, :ownerId, :processor,"
          + " :modelFileId, cast(:paramsJson as jsonb), :priority, :state, :idempotencyKey,"
          + " :requestHash, :createdAt)";

  @SqlUpdate(INSERT)
  void insert(@BindMethods Job job);

  @SqlUpdate(INSERT_INPUT)
  void insertInput(UUID jobId, int position, UUID fileId);

  @SqlQuery("select " + COLUMNS + " from jobs where id = :id")
  Optional<Job> findById(UUID id);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from jobs where owner_id = :ownerId and idempotency_key = :idempotencyKey")
  Optional<Job> findByIdempotencyKey(UUID ownerId, String idempotencyKey);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from jobs where owner_id = :ownerId and (cast(:state as text) is null or state ="
          + " :state) and (cast(:before as timestamptz) is null or created_at < :before)"
          + " order by created_at desc, id limit :limit")
  List<Job> listForOwner(UUID ownerId, JobState state, Instant before, int limit);

  /**
   * A page of an owner's jobs (all owners' when {@code ownerId} is null), newest first, optionally
   * in one state, after the keyset {@code (before, beforeId)}.
   */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from jobs where (cast(:ownerId as uuid) is null or owner_id = :ownerId)"
          + " and (cast(:state as text) is null or state = :state)"
          + " and (cast(:before as timestamptz) is null"
          + " or (created_at, id) < (:before, cast(:beforeId as uuid)))"
          + " order by created_at desc, id desc limit :limit")
  List<Job> page(UUID ownerId, JobState state, Instant before, UUID beforeId, int limit);

  /**
   * Reopens a failed job of the owner for a retry of its failed shards: {@code FAILED -> RUNNING},
   * failure reason and finish time cleared. Returns 0 when the job is not failed, or when an
   * operator discarded one of its shards (it can never succeed).
   */
  @SqlUpdate(
      "update jobs set state = <job_RUNNING>, failure_reason = null, finished_at = null,"
          + " started_at = coalesce(started_at, :now) where id = :id and owner_id = :ownerId"
          + " and state = <job_FAILED> and not exists (select 1 from shards s where s.job_id ="
          + " :id and s.discarded_at is not null)")
  int reopenFailed(UUID id, UUID ownerId, Instant now);

  /**
   * Reopens a cancelled job of the owner for a retry: {@code CANCELLED -> RUNNING} when it was
   * planned (its finished shards' parts are kept until the parts retention passes), {@code
   * CANCELLED -> SUBMITTED} when it was cancelled before planning. Returns 0 when the job is not
   * cancelled, when its parts were deleted already, or when an operator discarded one of its
   * shards.
   */
  @SqlUpdate(
      "update jobs set state = case when shards_total = 0 then <job_SUBMITTED> else <job_RUNNING>"
          + " end, failure_reason = null, finished_at = null where id = :id and owner_id = :ownerId"
          + " and state = <job_CANCELLED> and parts_deleted_at is null and not exists (select 1"
          + " from shards s where s.job_id = :id and s.discarded_at is not null)")
  int reopenCancelled(UUID id, UUID ownerId);

  /** The job's parameters as stored (JSON), for a retry's estimate. */
  @SqlQuery("select params_json::text from jobs where id = :id")
  String paramsJson(UUID id);

  /** The sizes of the job's input files in input order, for a retry's estimate. */
  @SqlQuery(
      "select f.size_bytes from job_inputs i join files f on f.id = i.file_id"
          + " where i.job_id = :jobId order by i.position")
  List<Long> inputSizes(UUID jobId);

  /** Whether the housekeeper deleted the job's parts (a cancelled job can then not resume). */
  @SqlQuery("select parts_deleted_at is not null from jobs where id = :id")
  boolean partsDeleted(UUID id);

  /** Cancels the owner's unfinished job; returns 0 when it is already finished (or not theirs). */
  @SqlUpdate(
      "update jobs set state = <job_CANCELLED>, failure_reason = coalesce(failure_reason, :reason),"
          + " finished_at = cast(:now as timestamptz) where id = :id and owner_id = :ownerId"
          + " and state in (<job_OPEN>)")
  int cancelForOwner(UUID id, UUID ownerId, String reason, Instant now);

  /** The ids of the owner's jobs that use a file as an input or as the model. */
  @SqlQuery(
      "select id from jobs where owner_id = :ownerId and (model_file_id = :fileId or exists"
          + " (select 1 from job_inputs i where i.job_id = jobs.id and i.file_id = :fileId))"
          + " order by created_at limit 10")
  List<UUID> jobsUsingFile(UUID ownerId, UUID fileId);

  @SqlQuery(JobReads.INPUTS)
  List<JobInput> inputs(UUID jobId);

  /** Claims up to {@code limit} submitted jobs; call inside a transaction. */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from jobs where state = <job_SUBMITTED> order by priority desc, created_at"
          + " limit :limit for update skip locked")
  List<Job> claimSubmitted(int limit);

  @SqlQuery("select " + COLUMNS + " from jobs where state in (<states>) order by created_at")
  List<Job> listInStates(@BindList("states") Collection<JobState> states);

  /**
   * Moves a job to {@code to} if it is in one of {@code from}; returns 0 when another actor won.
   * Terminal states stamp {@code finished_at}.
   */
  default int transition(
      UUID id, Collection<JobState> from, JobState to, String reason, Instant now) {
    JobState.requireAllowed(from, to);
    return moveState(id, from, to, reason, now);
  }

  /** {@link #transition} without the check against the transition table; call that instead. */
  @SqlUpdate(
      "update jobs set state = :to, failure_reason = coalesce(:reason, failure_reason),"
          + " started_at = case when cast(:to as text) = <job_RUNNING> then coalesce(started_at,"
          + " cast(:now as timestamptz)) else started_at end, finished_at = case when"
          + " cast(:to as text) in (<job_TERMINAL>) then"
          + " cast(:now as timestamptz) else null end where id = :id and state in (<from>)")
  int moveState(
      UUID id,
      @BindList("from") Collection<JobState> from,
      JobState to,
      String reason,
      Instant now);

  @SqlUpdate("update jobs set shards_total = :shardsTotal where id = :id")
  int setShardsTotal(UUID id, int shardsTotal);

  @SqlUpdate(
      "update jobs set shards_done = shards_done + :shards, records = records + :records,"
          + " errors = errors + :errors, agent_seconds = agent_seconds + :agentSeconds"
          + " where id = :id")
  int addProgress(UUID id, int shards, long records, long errors, double agentSeconds);

  @SqlUpdate(
      "update job_inputs set header = :header where job_id = :jobId and position = :position")
  int setHeader(UUID jobId, int position, String header);

  @SqlUpdate(
      "update job_inputs set shard_note = :shardNote where job_id = :jobId and position ="
          + " :position")
  int setShardNote(UUID jobId, int position, String shardNote);

  @SqlUpdate(
      "update job_inputs set output_file_id = :outputFileId where job_id = :jobId"
          + " and position = :position")
  int setOutputFile(UUID jobId, int position, UUID outputFileId);

  @SqlUpdate("delete from jobs where id = :id and owner_id = :ownerId")
  int deleteForOwner(UUID id, UUID ownerId);
}
