package dev.kiln.client.api;

import java.time.Instant;
import java.util.UUID;

/**
 * One operator action from the audit log: who ({@code actorId}) did what ({@code action}) to which
 * target, with the action's details as a JSON text; {@code actorEmail} is {@code null} once the
 * actor's account is deleted.
 */
public record AuditEntryView(
    long id,
    UUID actorId,
    String action,
    String targetType,
    String targetId,
    String detailJson,
    Instant createdAt,
    String actorEmail) {}
