package dev.kiln.protocol.queue;

/** One shard's completion, for {@link WorkQueue#completeAll}. */
public record Completion(ShardRef lease, ShardResult result) {}
