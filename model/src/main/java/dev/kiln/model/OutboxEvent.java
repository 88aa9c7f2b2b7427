package dev.kiln.model;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code outbox}: something that happened to a job, written in the same transaction. */
public record OutboxEvent(
    long id,
    UUID jobId,
    UUID ownerId,
    OutboxEventType type,
    String payloadJson,
    Instant createdAt) {}
