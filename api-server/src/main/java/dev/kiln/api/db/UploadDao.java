package dev.kiln.api.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The multipart upload id of a pending file ({@code files.upload_id}). */
public interface UploadDao {
  @SqlUpdate("update files set upload_id = :uploadId where id = :id and owner_id = :ownerId")
  int setUploadId(UUID id, UUID ownerId, String uploadId);

  @SqlQuery("select upload_id from files where id = :id and owner_id = :ownerId")
  Optional<String> uploadId(UUID id, UUID ownerId);
}
