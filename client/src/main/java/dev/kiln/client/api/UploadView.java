package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How to upload a new file. Single part: PUT the bytes to {@code uploadUrl}. Multipart: PUT part
 * {@code n} (each {@code partSize} bytes, the last shorter) to its URL, keep each answer's ETag,
 * and send them to {@code completeUrl}. Then call {@code POST /api/v1/files/{id}/complete}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadView(
    UUID id,
    String name,
    String state,
    long sizeBytes,
    Instant expiresAt,
    URI uploadUrl,
    Long partSize,
    List<PartUrl> parts,
    Instant urlsExpireAt,
    FileView file) {

  /** A presigned URL for one part. */
  public record PartUrl(int partNumber, URI url) {}
}
