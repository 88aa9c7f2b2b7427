package dev.kiln.client.api;

import java.util.UUID;

/**
 * One input record that failed in a job, in input order.
 *
 * @param fileId the input file
 * @param fileName the input file's name
 * @param inputPosition the input's position in the job (0 for the first)
 * @param line the record's first line in the file, 1-based, counting the header and the line breaks
 *     inside quoted fields; null when the shards before it were recorded without counts
 * @param offset the record's byte offset in the file
 * @param message why it failed
 * @param record the record's text, cut to 1,024 characters (null when not known)
 * @param truncated whether {@code record} was cut
 */
public record JobErrorView(
    UUID fileId,
    String fileName,
    int inputPosition,
    Long line,
    long offset,
    String message,
    String record,
    boolean truncated) {}
