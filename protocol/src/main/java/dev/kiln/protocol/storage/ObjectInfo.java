package dev.kiln.protocol.storage;

/** What a HEAD of an object says: its size and its ETag without quotes. */
public record ObjectInfo(long sizeBytes, String etag) {}
