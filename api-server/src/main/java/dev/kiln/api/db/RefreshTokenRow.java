package dev.kiln.api.db;

import java.time.Instant;
import java.util.UUID;

/** One refresh token as stored; {@code usedAt} is set once it has been exchanged. */
public record RefreshTokenRow(
    String tokenHash,
    UUID accountId,
    UUID familyId,
    Instant createdAt,
    Instant expiresAt,
    Instant usedAt) {}
