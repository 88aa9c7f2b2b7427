package dev.kiln.client.api;

/** An account's storage quota in bytes; {@code null} puts it back to the configured default. */
public record QuotaRequest(Long quotaBytes) {}
