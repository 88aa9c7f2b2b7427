package dev.kiln.client.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An account as the operator console lists it: its usage, its monthly budget ({@code null}: none)
 * and its month-to-date spend in USD (UTC calendar month, as the budget check counts it), the
 * storage quota in force in bytes, and its prepaid credits in USD (available, and held by running
 * jobs).
 */
public record AccountSummaryView(
    UUID id,
    String email,
    String role,
    boolean disabled,
    Instant createdAt,
    long files,
    long bytesUsed,
    long jobs,
    double agentSeconds,
    BigDecimal monthlyBudgetUsd,
    double monthSpendUsd,
    long quotaBytes,
    BigDecimal creditsAvailableUsd,
    BigDecimal creditsReservedUsd) {}
