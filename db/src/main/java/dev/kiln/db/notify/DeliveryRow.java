package dev.kiln.db.notify;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code webhook_deliveries}: one event for one webhook, with its fixed body, retried
 * until delivered or given up. {@code status} is {@code pending}, {@code delivered} or {@code
 * failed}. Immutable.
 */
public record DeliveryRow(
    UUID id,
    UUID webhookId,
    String eventId,
    String eventType,
    String body,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant finishedAt,
    Integer lastStatusCode) {}
