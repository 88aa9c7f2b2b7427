package dev.kiln.model;

import java.util.Optional;

/**
 * What can happen to a job, as {@code outbox.type} stores it and as the event stream shows it to
 * the owner. The API writes the owner's actions; the scheduler writes the job's progress and reacts
 * to {@link #CANCELLED} and {@link #RETRIED}.
 */
public enum OutboxEventType {
  /** The API accepted the job. */
  SUBMITTED("job.submitted"),
  /** The scheduler planned the job into shards; payload {@code {"shards":N}}. */
  RUNNING("job.running"),
  /** Every output is assembled. */
  SUCCEEDED("job.succeeded"),
  /** The job failed; payload {@code {"reason":"..."}}. */
  FAILED("job.failed"),
  /** The owner, an admin or an account deletion cancelled the job. */
  CANCELLED("job.cancelled"),
  /** The owner asked a failed job to run again. */
  RETRIED("job.retried");

  private final String wireName;

  OutboxEventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored in {@code outbox.type} and sent as the server-sent event's name. */
  public String wireName() {
    return wireName;
  }

  public static Optional<OutboxEventType> fromWireName(String wireName) {
    for (OutboxEventType type : values()) {
      if (type.wireName.equals(wireName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
