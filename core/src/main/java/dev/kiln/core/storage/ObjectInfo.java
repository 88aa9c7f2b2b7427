package dev.kiln.core.storage;

/** What a HEAD of an object says: its size and its ETag without quotes. */
public record ObjectInfo(long sizeBytes, String etag) {}
