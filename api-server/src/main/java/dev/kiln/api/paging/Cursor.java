package dev.kiln.api.paging;

import dev.kiln.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/** An opaque keyset position {@code (createdAt, id)} for paged lists. Immutable. */
public record Cursor(Instant createdAt, UUID id) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null for the first page; 400 when it was not made by us. */
  public static Cursor decode(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new Cursor(
          Instant.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ApiException.badRequest(
          "'cursor' is not valid; pass the nextCursor of the previous page unchanged.");
    }
  }

  /** The page size a client asked for, checked. */
  public static int limit(Integer requested) {
    if (requested == null) {
      return DEFAULT_LIMIT;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw ApiException.badRequest("'limit' must be between 1 and " + MAX_LIMIT + ".");
    }
    return requested;
  }
}
