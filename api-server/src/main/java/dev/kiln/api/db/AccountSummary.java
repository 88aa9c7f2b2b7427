package dev.kiln.api.db;

import dev.kiln.core.model.Role;
import java.time.Instant;
import java.util.UUID;

/** An account as the operator console lists it, with its usage. */
public record AccountSummary(
    UUID id,
    String email,
    Role role,
    boolean disabled,
    Instant createdAt,
    long files,
    long bytesUsed,
    long jobs,
    double agentSeconds) {}
