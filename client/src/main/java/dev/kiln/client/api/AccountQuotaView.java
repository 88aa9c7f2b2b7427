package dev.kiln.client.api;

import java.util.UUID;

/** An account's storage quota in force and the bytes its files take. */
public record AccountQuotaView(UUID accountId, long quotaBytes, long bytesUsed) {}
