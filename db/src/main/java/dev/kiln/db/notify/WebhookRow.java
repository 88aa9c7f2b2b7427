package dev.kiln.db.notify;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code webhooks}: where an account's job events are posted. Immutable. */
public record WebhookRow(
    UUID id,
    UUID ownerId,
    String url,
    String secret,
    String description,
    Instant createdAt,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason) {}
