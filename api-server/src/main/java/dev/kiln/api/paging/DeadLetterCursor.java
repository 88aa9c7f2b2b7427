package dev.kiln.api.paging;

import dev.kiln.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset position in the dead-letter list: the last shown dead letter's {@code (deadAt,
 * jobId, shardIndex)}. Immutable.
 */
public record DeadLetterCursor(Instant deadAt, UUID jobId, int shardIndex) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            ("d|" + deadAt + "|" + jobId + "|" + shardIndex).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null for the first page; 400 when it was not made by us. */
  public static DeadLetterCursor decode(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8)
              .split("\\|", -1);
      if (parts.length != 4 || !parts[0].equals("d")) {
        throw new IllegalArgumentException("not a dead-letter cursor");
      }
      return new DeadLetterCursor(
          Instant.parse(parts[1]), UUID.fromString(parts[2]), Integer.parseInt(parts[3]));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ApiException.badRequest(
          "'cursor' is not valid; pass the nextCursor of the previous page unchanged.");
    }
  }
}
