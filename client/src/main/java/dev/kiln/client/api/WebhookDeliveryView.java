package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event sent to one webhook: {@code eventId} is the {@code webhook-id} header; {@code status}
 * is {@code pending}, {@code delivered} or {@code failed} (given up after a day of retries).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookDeliveryView(
    UUID id,
    String eventId,
    String eventType,
    String status,
    int attemptCount,
    Instant createdAt,
    Instant nextAttemptAt,
    Instant finishedAt,
    List<WebhookAttemptView> attempts) {}
