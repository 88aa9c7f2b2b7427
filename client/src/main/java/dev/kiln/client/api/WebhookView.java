package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A webhook. {@code secret} (the Standard Webhooks signing secret, {@code whsec_...}) is present
 * only in the answer that creates it. {@code disabledAt} is set once it failed for three days.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(
    UUID id,
    String url,
    String description,
    Instant createdAt,
    boolean enabled,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason,
    String secret) {}
