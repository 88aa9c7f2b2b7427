package dev.kiln.scheduler.db;

import dev.kiln.model.OutboxEventType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Queries only the scheduler runs: assembly candidates, outbox reactions, housekeeping. */
@RegisterConstructorMapper(SchedulerDao.OutboxItem.class)
@RegisterConstructorMapper(SchedulerDao.JobRef.class)
@RegisterConstructorMapper(SchedulerDao.RunningJob.class)
public interface SchedulerDao {
  /** An outbox event the scheduler reacts to. */
  record OutboxItem(long id, UUID jobId, OutboxEventType type) {}

  /** A job and its owner. */
  record JobRef(UUID id, UUID ownerId) {}

  /** A running job and how many of its shards are done. */
  record RunningJob(UUID id, int shardsDone) {}

  @SqlQuery("select id, owner_id from jobs where id = :id")
  Optional<JobRef> jobRef(UUID id);

  @SqlQuery("select nextval('queue_epoch_seq')")
  long nextEpoch();

  @SqlQuery(
      "select id, owner_id from jobs where (state = <job_RUNNING> and shards_total > 0 and"
          + " shards_done >= shards_total) or state = <job_ASSEMBLING> order by created_at"
          + " limit :limit")
  List<JobRef> readyToAssemble(int limit);

  @SqlQuery(
      "select id, shards_done from jobs where state = <job_RUNNING> and shards_done > 0"
          + " order by created_at limit :limit")
  List<RunningJob> runningWithDoneShards(int limit);

  @SqlQuery(
      "select o.id, o.job_id, o.type from outbox o where o.type in (<event_CANCELLED>,"
          + " <event_RETRIED>) and not exists (select 1 from scheduler_handled_events h where"
          + " h.event_id = o.id) order by o.id limit :limit")
  List<OutboxItem> unhandledEvents(int limit);

  @SqlUpdate(
      "insert into scheduler_handled_events (event_id, handled_at) values (:eventId, :now)"
          + " on conflict do nothing")
  int markHandled(long eventId, Instant now);

  @SqlQuery(
      "select id, owner_id from jobs where state in (<job_SUCCEEDED>, <job_CANCELLED>) and"
          + " parts_deleted_at is null and finished_at < :before order by finished_at limit :limit")
  List<JobRef> partsToDelete(Instant before, int limit);

  @SqlUpdate("update jobs set parts_deleted_at = :now where id = :id")
  int markPartsDeleted(UUID id, Instant now);

  /** Expired files that no job still names as input or model. */
  @SqlQuery(
      "select f.id, f.owner_id from files f where f.expires_at < :now and not exists (select 1"
          + " from job_inputs i where i.file_id = f.id) and not exists (select 1 from jobs j"
          + " where j.model_file_id = f.id) order by f.expires_at limit :limit")
  List<JobRef> expiredFiles(Instant now, int limit);

  /** Which of these object keys belong to pending files (whose uploads may still be staged). */
  @SqlQuery("select object_key from files where state = <file_PENDING> and object_key in (<keys>)")
  List<String> pendingFileKeys(@BindList("keys") List<String> keys);
}
