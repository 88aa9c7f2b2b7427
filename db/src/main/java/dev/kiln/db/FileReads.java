package dev.kiln.db;

import dev.kiln.model.FileState;
import dev.kiln.model.StoredFile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The file read that every job submission makes for each of its inputs, against the handle with a
 * hand-made row mapper instead of a SQL object's per-call set-up. The file is found by its primary
 * key alone and its owner compared afterwards, as in {@link JobReads}. Stateless.
 */
public final class FileReads {
  private static final String FIND = "select " + FileDao.COLUMNS + " from files where id = :id";

  private static final RowMapper<StoredFile> FILE = (rs, ctx) -> file(rs);

  private FileReads() {}

  /** The owner's file, or empty when it does not exist or belongs to someone else. */
  public static Optional<StoredFile> findForOwner(Handle handle, UUID id, UUID ownerId) {
    return handle
        .createQuery(FIND)
        .bind("id", id)
        .map(FILE)
        .findOne()
        .filter(file -> file.ownerId().equals(ownerId));
  }

  private static StoredFile file(ResultSet rs) throws SQLException {
    return new StoredFile(
        rs.getObject("id", UUID.class),
        rs.getObject("owner_id", UUID.class),
        rs.getString("name"),
        rs.getString("bucket"),
        rs.getString("object_key"),
        rs.getLong("size_bytes"),
        rs.getString("etag"),
        FileState.valueOf(rs.getString("state")),
        Columns.instant(rs, "created_at"),
        Columns.instant(rs, "completed_at"),
        Columns.instant(rs, "expires_at"));
  }
}
