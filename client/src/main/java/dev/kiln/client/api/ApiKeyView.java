package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An API key. {@code key} is present only in the answer that creates it: it is shown once and
 * stored hashed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(
    UUID id,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt,
    String key) {}
