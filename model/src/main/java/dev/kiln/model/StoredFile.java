package dev.kiln.model;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code files}: an object in the uploads (or results) bucket owned by one account. */
public record StoredFile(
    UUID id,
    UUID ownerId,
    String name,
    String bucket,
    String objectKey,
    long sizeBytes,
    String etag,
    FileState state,
    Instant createdAt,
    Instant completedAt,
    Instant expiresAt) {

  public boolean isReady() {
    return state == FileState.READY;
  }
}
