package dev.kiln.api.paging;

import dev.kiln.api.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An opaque keyset position in the audit log: the id of the last entry shown. Immutable. */
public record AuditCursor(long id) {
  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("a|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null for the first page; 400 when it was not made by us. */
  public static AuditCursor decode(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
      if (!text.startsWith("a|")) {
        throw new IllegalArgumentException("not an audit cursor");
      }
      return new AuditCursor(Long.parseLong(text.substring(2)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "'cursor' is not valid; pass the nextCursor of the previous page unchanged.");
    }
  }
}
