package dev.kiln.model;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code accounts}. The password hash never leaves the server. */
public record Account(
    UUID id, String email, String passwordHash, Role role, boolean disabled, Instant createdAt) {}
