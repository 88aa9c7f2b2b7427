package dev.kiln.client.api;

import java.util.UUID;

/** One owner's shards of a processor's queue. */
public record OwnerShareView(UUID ownerId, String email, long queued, long leased) {}
