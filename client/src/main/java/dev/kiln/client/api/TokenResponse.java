package dev.kiln.client.api;

import java.time.Instant;

/** An access token: send it as {@code Authorization: Bearer <accessToken>}. */
public record TokenResponse(
    String accessToken, String tokenType, Instant expiresAt, AccountView account) {}
