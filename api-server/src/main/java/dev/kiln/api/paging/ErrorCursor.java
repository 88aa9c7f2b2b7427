package dev.kiln.api.paging;

import dev.kiln.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset position in a job's failed records: the shard and the byte offset of the last
 * record shown. Records are listed in input order, which is shard order, then offset order within a
 * shard. Immutable.
 */
public record ErrorCursor(int shard, long offset) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("e|" + shard + "|" + offset).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null for the first page; 400 when it was not made by us. */
  public static ErrorCursor decode(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8)
              .split("\\|", -1);
      if (parts.length != 3 || !parts[0].equals("e")) {
        throw new IllegalArgumentException("not an error cursor");
      }
      ErrorCursor cursor = new ErrorCursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
      if (cursor.shard < 0 || cursor.offset < 0) {
        throw new IllegalArgumentException("negative");
      }
      return cursor;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "'cursor' is not valid; pass the nextCursor of the previous page unchanged.");
    }
  }
}
