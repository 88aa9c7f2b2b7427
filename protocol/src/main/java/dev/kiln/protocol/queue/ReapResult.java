package dev.kiln.protocol.queue;

/** What one reap did: expired leases re-queued, dead-lettered, and backed-off shards made ready. */
public record ReapResult(long requeued, long deadLettered, long promoted) {}
