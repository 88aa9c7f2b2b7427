package dev.kiln.api.db;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The append-only {@code audit_log} of operator actions. */
@RegisterConstructorMapper(AuditEntry.class)
public interface AuditDao {
  @SqlUpdate(
      "insert into audit_log (actor_id, action, target_type, target_id, detail_json, created_at)"
          + " values (:actorId, :action, :targetType, :targetId, cast(:detailJson as jsonb),"
          + " :createdAt)")
  void append(
      UUID actorId,
      String action,
      String targetType,
      String targetId,
      String detailJson,
      Instant createdAt);

  @SqlQuery(
      "select id, actor_id, action, target_type, target_id, detail_json::text as detail_json,"
          + " created_at from audit_log where (cast(:beforeId as bigint) is null or id <"
          + " :beforeId) order by id desc limit :limit")
  List<AuditEntry> page(Long beforeId, int limit);
}
