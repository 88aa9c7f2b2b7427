package dev.kiln.db.notify;

import dev.kiln.model.notify.NotificationKind;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code notifications}: one in-app notification of an account. Immutable. */
public record NotificationRow(
    UUID id,
    UUID ownerId,
    NotificationKind kind,
    String title,
    String body,
    UUID jobId,
    Instant createdAt,
    Instant readAt) {}
