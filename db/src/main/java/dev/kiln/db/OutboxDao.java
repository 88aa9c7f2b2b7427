package dev.kiln.db;

import dev.kiln.model.OutboxEvent;
import dev.kiln.model.OutboxEventType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Job events written in the same transaction as the change they describe. */
@RegisterConstructorMapper(OutboxEvent.class)
public interface OutboxDao {
  String COLUMNS = "id, job_id, owner_id, type, payload_json::text as payload_json, created_at";

  String APPEND =
      "insert into outbox (job_id, owner_id, type, payload_json, created_at) values (:jobId,"
          + " :ownerId, :type, cast(:payloadJson as jsonb), :createdAt)";

  @SqlUpdate(APPEND)
  void append(
      UUID jobId, UUID ownerId, OutboxEventType type, String payloadJson, Instant createdAt);

  @SqlQuery(
      "select " + COLUMNS + " from outbox where processed_at is null order by id limit :limit")
  List<OutboxEvent> pending(int limit);

  @SqlQuery(
      "select " + COLUMNS + " from outbox where job_id = :jobId and id > :afterId order by id")
  List<OutboxEvent> forJobAfter(UUID jobId, long afterId);

  @SqlUpdate("update outbox set processed_at = :now where id = :id")
  int markProcessed(long id, Instant now);
}
