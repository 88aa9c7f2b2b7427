package dev.kiln.core.queue;

/** One shard's completion, for {@link WorkQueue#completeAll}. */
public record Completion(ShardRef lease, ShardResult result) {}
