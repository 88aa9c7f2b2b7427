package dev.kiln.client.api;

import java.math.BigDecimal;

/**
 * What the account uses against its limits: storage against its quota, and this calendar month's
 * spend (UTC) against its monthly budget ({@code null}: none). {@code budgetRefusal} says why new
 * jobs are refused when the budget is spent, and is {@code null} otherwise.
 */
public record AccountUsageView(
    long bytesUsed,
    long quotaBytes,
    BigDecimal monthlyBudgetUsd,
    double monthSpendUsd,
    String budgetRefusal) {}
