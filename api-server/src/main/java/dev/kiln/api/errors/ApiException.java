package dev.kiln.api.errors;

import java.util.Map;

/**
 * A failure the client can act on; mapped once to an RFC 9457 problem. {@code slug} names the
 * problem type, {@code detail} says what to do about it, and {@code members} are the problem type's
 * extension members (figures a client shows without parsing the detail).
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final Map<String, String> headers;
  private final Map<String, Object> members;

  public ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, Map.of());
  }

  public ApiException(
      int status, String slug, String title, String detail, Map<String, String> headers) {
    this(status, slug, title, detail, headers, Map.of());
  }

  public ApiException(
      int status,
      String slug,
      String title,
      String detail,
      Map<String, String> headers,
      Map<String, Object> members) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.headers = Map.copyOf(headers);
    this.members = Map.copyOf(members);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "bad-request", "The request is not valid", detail);
  }

  public static ApiException validation(String detail) {
    return new ApiException(422, "invalid-request", "The request is not valid", detail);
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(
        401,
        "unauthorized",
        "Authentication is required",
        detail,
        Map.of("WWW-Authenticate", "Bearer realm=\"kiln\""));
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Not allowed", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", "Conflict", detail);
  }

  public static ApiException tooLarge(String detail) {
    return new ApiException(413, "payload-too-large", "The request body is too large", detail);
  }

  public static ApiException quotaExceeded(String detail) {
    return new ApiException(413, "quota-exceeded", "Storage quota exceeded", detail);
  }

  public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
    return new ApiException(
        429,
        "too-many-requests",
        "Too many requests",
        detail,
        Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "unavailable", "Temporarily unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The problem's extension members, beside type, title, status, detail and instance. */
  public Map<String, Object> members() {
    return members;
  }
}
