package dev.kiln.model;

import java.util.UUID;

/**
 * A row of {@code job_inputs}: one input file of a job, its CSV header once the planner has read
 * it, the output file once it is assembled, and why the planner could not cut it into several
 * shards ({@code shardNote}, null when it could).
 */
public record JobInput(
    UUID jobId, int position, UUID fileId, String header, UUID outputFileId, String shardNote) {}
