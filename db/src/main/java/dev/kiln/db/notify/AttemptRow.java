package dev.kiln.db.notify;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code webhook_attempts}: one request of a delivery, with the answer's status code (null
 * when none came) and how long it took. Immutable.
 */
public record AttemptRow(
    long id,
    UUID deliveryId,
    Instant attemptedAt,
    Integer statusCode,
    int durationMs,
    String error) {}
