package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/v1/files/{id}/complete}. Single part: an optional {@code etag} to check against
 * the stored object. Multipart: every part's number and the ETag S3 returned for it.
 */
public record CompleteUploadRequest(String etag, List<Part> parts) {
  public static final int MAX_PARTS = 10_000;

  public CompleteUploadRequest {
    if (etag != null) {
      Validation.requireText(etag, "etag", 200);
    }
    if (parts != null) {
      if (parts.size() > MAX_PARTS) {
        throw new InvalidValueException("'parts' may list at most " + MAX_PARTS + " parts.");
      }
      Set<Integer> seen = new HashSet<>();
      for (Part part : parts) {
        if (part == null) {
          throw new InvalidValueException("'parts' must not contain null.");
        }
        if (!seen.add(part.partNumber())) {
          throw new InvalidValueException(
              "part " + part.partNumber() + " is listed twice in 'parts'.");
        }
      }
      parts = List.copyOf(parts);
    }
  }

  /** One uploaded part. */
  public record Part(Integer partNumber, String etag) {
    public Part {
      if (partNumber == null || partNumber < 1 || partNumber > MAX_PARTS) {
        throw new InvalidValueException("'partNumber' must be between 1 and " + MAX_PARTS + ".");
      }
      Validation.requireText(etag, "etag", 200);
    }
  }
}
