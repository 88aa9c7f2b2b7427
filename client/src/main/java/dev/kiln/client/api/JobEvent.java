package dev.kiln.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** Something that happened to a job, as the event stream sends it. */
public record JobEvent(long id, UUID jobId, String type, JsonNode payload, Instant createdAt) {}
