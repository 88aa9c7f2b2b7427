package dev.kiln.api.db;

import dev.kiln.model.Role;
import java.time.Instant;
import java.util.UUID;

/** An unrevoked API key joined with the account that owns it. */
public record ApiKeyOwner(
    UUID keyId, UUID accountId, String email, Role role, boolean disabled, Instant lastUsedAt) {}
