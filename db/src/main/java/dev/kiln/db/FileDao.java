package dev.kiln.db;

import dev.kiln.model.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** The {@code files} aggregate. Every user-facing query names the owner. */
@RegisterConstructorMapper(StoredFile.class)
public interface FileDao {
  String COLUMNS =
      "id, owner_id, name, bucket, object_key, size_bytes, etag, state, created_at,"
          + " completed_at, expires_at";

  @SqlUpdate(
      "insert into files (id, owner_id, name, bucket, object_key, size_bytes, etag, state,"
          + " created_at, completed_at, expires_at) values (:id, :ownerId, :name, :bucket,"
          + " :objectKey, :sizeBytes, :etag, :state, :createdAt, :completedAt, :expiresAt)")
  void insert(@BindMethods StoredFile file);

  /**
   * The owner's file, or empty when it does not exist or belongs to someone else. Found by the
   * primary key alone, its owner compared afterwards (see {@link JobReads}).
   */
  default Optional<StoredFile> findForOwner(UUID id, UUID ownerId) {
    return findById(id).filter(file -> file.ownerId().equals(ownerId));
  }

  @SqlQuery("select " + COLUMNS + " from files where id = :id")
  Optional<StoredFile> findById(UUID id);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from files where owner_id = :ownerId and (cast(:before as timestamptz) is null or"
          + " created_at < :before) order by created_at desc, id limit :limit")
  List<StoredFile> listForOwner(UUID ownerId, Instant before, int limit);

  /** A page of an owner's files, newest first, after the keyset {@code (before, beforeId)}. */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from files where owner_id = :ownerId and (cast(:before as timestamptz) is null"
          + " or (created_at, id) < (:before, cast(:beforeId as uuid)))"
          + " order by created_at desc, id desc limit :limit")
  List<StoredFile> pageForOwner(UUID ownerId, Instant before, UUID beforeId, int limit);

  @SqlUpdate(
      "update files set state = <file_READY>, size_bytes = :sizeBytes, etag = :etag,"
          + " completed_at = :completedAt where id = :id and owner_id = :ownerId"
          + " and state = <file_PENDING>")
  int markReady(UUID id, UUID ownerId, long sizeBytes, String etag, Instant completedAt);

  @SqlQuery("select coalesce(sum(size_bytes), 0) from files where owner_id = :ownerId")
  long bytesUsedBy(UUID ownerId);

  /**
   * Inserts {@code file} only if its owner's files, it included, fit in {@code quotaBytes}; false
   * when they would not. The owner's account row is locked for the check and the insert, so
   * concurrent creates of one account are counted one after the other.
   */
  @Transaction
  default boolean insertWithinQuota(StoredFile file, long quotaBytes) {
    lockOwner(file.ownerId());
    long used = bytesUsedBy(file.ownerId());
    if (used > quotaBytes - file.sizeBytes()) {
      return false;
    }
    insert(file);
    return true;
  }

  @SqlQuery("select id from accounts where id = :ownerId for update")
  Optional<UUID> lockOwner(UUID ownerId);

  @SqlQuery(
      "select " + COLUMNS + " from files where expires_at < :now order by expires_at limit :limit")
  List<StoredFile> listExpired(Instant now, int limit);

  @SqlUpdate("delete from files where id = :id and owner_id = :ownerId")
  int deleteForOwner(UUID id, UUID ownerId);
}
