package dev.kiln.client.api;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** A presigned download: GET {@code url} before {@code expiresAt}. */
public record DownloadView(UUID fileId, String name, long sizeBytes, URI url, Instant expiresAt) {}
