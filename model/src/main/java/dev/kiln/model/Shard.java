package dev.kiln.model;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code shards}: a byte range {@code [startOffset, endOffset)} of one input. */
public record Shard(
    UUID jobId,
    int idx,
    int inputPosition,
    UUID fileId,
    long startOffset,
    long endOffset,
    ShardState state,
    int attempt,
    String outputKey,
    long outputBytes,
    long records,
    long errors,
    double agentSeconds,
    String lastError,
    Instant updatedAt) {}
