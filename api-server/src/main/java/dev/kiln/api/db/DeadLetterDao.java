package dev.kiln.api.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The dead letters: shards in state DEAD, of FAILED jobs, that no operator discarded, with their
 * job and owner. A shard dead-lettered fails its job at once, so every dead shard belongs to a
 * failed job, except for the moment between a requeue (the job back to RUNNING) and the scheduler
 * moving the shard back to QUEUED: it is not listed then. Requeuing goes through the job ({@code
 * JobDao.reopenFailed}) and the scheduler's retry path.
 */
@RegisterConstructorMapper(DeadLetterDao.DeadLetter.class)
public interface DeadLetterDao {
  /** One dead letter as the operator console lists it. */
  record DeadLetter(
      UUID jobId,
      int idx,
      String processor,
      UUID ownerId,
      String ownerEmail,
      String lastError,
      Integer deadAttempts,
      Instant deadAt) {}

  String SELECT =
      """
      select s.job_id, s.idx, j.processor, j.owner_id, a.email as owner_email, s.last_error,
             s.dead_attempts, s.updated_at as dead_at
        from shards s join jobs j on j.id = s.job_id join accounts a on a.id = j.owner_id
       where s.state = <shard_DEAD> and s.discarded_at is null and j.state = <job_FAILED>
      """;

  /**
   * A page of dead letters, newest first, after the keyset {@code (deadAt, jobId, idx)} (all null:
   * from the newest), optionally of one processor or one job.
   */
  @SqlQuery(
      SELECT
          + """
             and (cast(:processor as text) is null or j.processor = :processor)
             and (cast(:jobId as uuid) is null or s.job_id = :jobId)
             and (cast(:deadAt as timestamptz) is null
                  or (s.updated_at, s.job_id, s.idx)
                     < (:deadAt, cast(:afterJob as uuid), cast(:afterIdx as int)))
           order by s.updated_at desc, s.job_id desc, s.idx desc
           limit :limit
          """)
  List<DeadLetter> page(
      String processor, UUID jobId, Instant deadAt, UUID afterJob, Integer afterIdx, int limit);

  /**
   * The dead letter {@code (jobId, idx)}, its shard and job rows locked for the caller's
   * transaction.
   */
  @SqlQuery(SELECT + " and s.job_id = :jobId and s.idx = :idx for update of s, j")
  Optional<DeadLetter> lock(UUID jobId, int idx);

  /**
   * The failed jobs holding matching dead letters that a requeue may reopen (none of their shards
   * discarded), oldest dead letter first, with their owners; at most {@code limit}.
   */
  @SqlQuery(
      """
      select j.id, j.owner_id from jobs j
       where j.state = <job_FAILED>
         and (cast(:processor as text) is null or j.processor = :processor)
         and (cast(:jobId as uuid) is null or j.id = :jobId)
         and exists (select 1 from shards s where s.job_id = j.id and s.state = <shard_DEAD>
                     and s.discarded_at is null)
         and not exists (select 1 from shards s where s.job_id = j.id
                         and s.discarded_at is not null)
       order by j.finished_at, j.id
       limit :limit
      """)
  @KeyColumn("id")
  @ValueColumn("owner_id")
  Map<UUID, UUID> requeueableJobs(String processor, UUID jobId, int limit);

  /** The shards a retry of the failed job runs again: dead or cancelled, none discarded. */
  @SqlQuery(
      "select count(*) from shards where job_id = :jobId and state in (<shard_DEAD>,"
          + " <shard_CANCELLED>) and discarded_at is null")
  int countToRerun(UUID jobId);

  /** Marks a dead shard failed for good; answers 0 when it is not a dead letter (any more). */
  @SqlUpdate(
      "update shards set discarded_at = :now where job_id = :jobId and idx = :idx"
          + " and state = <shard_DEAD> and discarded_at is null")
  int discard(UUID jobId, int idx, Instant now);

  /** Dead letters per processor. */
  @SqlQuery(
      "select j.processor, count(*) from shards s join jobs j on j.id = s.job_id"
          + " where s.state = <shard_DEAD> and s.discarded_at is null and j.state = <job_FAILED>"
          + " group by j.processor")
  @KeyColumn("processor")
  @ValueColumn("count")
  Map<String, Long> countByProcessor();

  /** Shards finished since {@code since}. */
  @SqlQuery("select count(*) from shards where state = <shard_DONE> and updated_at >= :since")
  long doneSince(Instant since);
}
