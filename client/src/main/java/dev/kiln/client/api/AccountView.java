package dev.kiln.client.api;

import java.time.Instant;
import java.util.UUID;

/** An account as its owner sees it. */
public record AccountView(
    UUID id, String email, String role, Instant createdAt, long bytesUsed, long quotaBytes) {}
