package dev.kiln.client.api;

/**
 * What a requeue did: the failed jobs it reopened, the shards they run again, and whether matching
 * dead letters are left for another call (a requeue handles a bounded batch).
 */
public record RequeueView(int jobs, int shards, boolean more) {}
