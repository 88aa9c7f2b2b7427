package dev.kiln.client.api;

import java.time.Instant;
import java.util.UUID;

/**
 * A shard dead-lettered after its attempts were spent (or after an error that cannot be retried),
 * as the operator console lists it.
 *
 * @param reason the dead-letter message the work queue wrote
 * @param attempts the attempts the shard spent; {@code null} when not recorded
 * @param lastError the last error the processor reported (the reason when it names none)
 * @param deadAt when the scheduler recorded it dead
 */
public record DeadLetterView(
    UUID jobId,
    int shardIndex,
    String processor,
    UUID ownerId,
    String ownerEmail,
    String reason,
    Integer attempts,
    String lastError,
    Instant deadAt) {}
