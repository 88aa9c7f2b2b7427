package dev.kiln.protocol.queue;

import java.util.UUID;

/** One attempt of one shard; {@code attempt} is the fencing token of its lease. */
public record ShardRef(UUID jobId, int idx, int attempt) {}
