package dev.kiln.client.api;

import java.math.BigDecimal;
import java.util.UUID;

/** An account's monthly budget ({@code null}: none) and what it has spent this month (UTC). */
public record AccountBudgetView(UUID id, BigDecimal monthlyBudgetUsd, double monthSpendUsd) {}
