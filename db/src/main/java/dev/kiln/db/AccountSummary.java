package dev.kiln.db;

import dev.kiln.model.Role;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An account as the operator console lists it, with its usage, its monthly budget ({@code null}:
 * none) and its month-to-date spend (UTC calendar month, as {@code BudgetCheck} counts it).
 */
public record AccountSummary(
    UUID id,
    String email,
    Role role,
    boolean disabled,
    Instant createdAt,
    long files,
    long bytesUsed,
    long jobs,
    double agentSeconds,
    BigDecimal monthlyBudgetUsd,
    double monthSpendUsd) {}
