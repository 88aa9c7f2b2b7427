package dev.kiln.client.api;

import java.util.UUID;

/**
 * {@code GET /api/v1/whoami}: whom a credential stands for, and whether it is an access token
 * ({@code via: token}) or an API key ({@code via: api-key}).
 */
public record WhoAmIView(UUID accountId, String email, String role, String via) {}
