package dev.kiln.client.api;

import java.time.Instant;
import java.util.UUID;

/** A file as its owner sees it. */
public record FileView(
    UUID id,
    String name,
    String state,
    long sizeBytes,
    String etag,
    Instant createdAt,
    Instant completedAt,
    Instant expiresAt) {}
