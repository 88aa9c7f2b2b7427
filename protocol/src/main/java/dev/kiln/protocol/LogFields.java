package dev.kiln.protocol;

/**
 * The names of the fields every process puts on its log lines (SLF4J's MDC), defined once so a
 * query over the API's, the scheduler's and the agents' logs finds one job, shard or request in all
 * of them. Stateless.
 */
public final class LogFields {
  private LogFields() {}

  /** The request's id, answered as {@code X-Request-Id} (API). */
  public static final String REQUEST_ID = "requestId";

  /** The account a request acts for, or whose job is handled. */
  public static final String ACCOUNT = "account";

  /** The job a line is about. */
  public static final String JOB = "job";

  /** The shard's index within its job. */
  public static final String SHARD = "shard";

  /** The agent's id. */
  public static final String AGENT = "agent";

  /** The shard's attempt number (its fencing token). */
  public static final String ATTEMPT = "attempt";
}
