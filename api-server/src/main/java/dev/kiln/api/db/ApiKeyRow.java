package dev.kiln.api.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_keys}; the key itself is never stored, only its SHA-256. */
public record ApiKeyRow(
    UUID id,
    UUID accountId,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {}
