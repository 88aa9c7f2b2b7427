package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body: the one shape of every error. {@code errorId} is set on
 * unexpected errors and names the log line that explains them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, String errorId) {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_BASE = "https://kiln.dev/problems/";
}
