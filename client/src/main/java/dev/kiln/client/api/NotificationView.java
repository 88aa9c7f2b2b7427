package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An in-app notification; {@code kind} is {@code JOB_SUCCEEDED}, {@code JOB_FAILED}, {@code
 * BUDGET_WARNING} or {@code BUDGET_EXCEEDED}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationView(
    UUID id,
    String kind,
    String title,
    String body,
    UUID jobId,
    Instant createdAt,
    Instant readAt) {}
