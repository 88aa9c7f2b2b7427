package dev.kiln.client.api;

import java.util.UUID;

/**
 * Which dead letters {@code POST /api/v1/admin/dead-letters/requeue} requeues: those of one
 * processor, of one job, or (both null) all of them.
 */
public record RequeueRequest(String processor, UUID jobId) {}
