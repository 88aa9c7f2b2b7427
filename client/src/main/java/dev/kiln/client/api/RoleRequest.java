package dev.kiln.client.api;

/** An account's new role: {@code USER} or {@code ADMIN}. */
public record RoleRequest(String role) {}
