package dev.kiln.core.queue;

/** A snapshot of the work queue: shards ready, leased, waiting out a backoff, unrecorded events. */
public record QueueStats(long ready, long leased, long delayed, long unrecordedEvents) {}
