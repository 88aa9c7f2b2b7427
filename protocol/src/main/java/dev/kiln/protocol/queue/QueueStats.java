package dev.kiln.protocol.queue;

/**
 * A snapshot of the work queue: shards ready, leased, waiting out a backoff, and unrecorded events
 * (stream entries: one per completion call, whatever the number of shards it completed, or per dead
 * letter).
 */
public record QueueStats(long ready, long leased, long delayed, long unrecordedEvents) {}
