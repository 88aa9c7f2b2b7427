package dev.kiln.client;

import dev.kiln.client.api.Problem;

/** The API answered with an error; {@link #problem()} says what and what to do. */
public class KilnApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Problem problem;

  public KilnApiException(int status, Problem problem, String fallback) {
    super(
        problem == null || problem.detail() == null
            ? "HTTP " + status + ": " + fallback
            : "HTTP " + status + ": " + problem.detail());
    this.status = status;
    this.problem = problem;
  }

  public int status() {
    return status;
  }

  /** The RFC 9457 body, or null when the server sent none (a proxy error, for example). */
  public Problem problem() {
    return problem;
  }
}
