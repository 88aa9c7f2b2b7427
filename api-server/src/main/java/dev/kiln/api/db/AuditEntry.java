package dev.kiln.api.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code audit_log}. */
public record AuditEntry(
    long id,
    UUID actorId,
    String action,
    String targetType,
    String targetId,
    String detailJson,
    Instant createdAt) {}
