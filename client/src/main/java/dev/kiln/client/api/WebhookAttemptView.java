package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One request of a webhook delivery: the answer's status code (absent when none came). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookAttemptView(
    Instant attemptedAt, Integer statusCode, int durationMs, String error) {}
