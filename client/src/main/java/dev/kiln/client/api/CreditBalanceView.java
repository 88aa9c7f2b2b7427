package dev.kiln.client.api;

import java.math.BigDecimal;

/**
 * An account's prepaid credits.
 *
 * @param availableUsd credits the account may spend
 * @param reservedUsd credits held for its running jobs
 * @param required whether submissions need credits on this installation
 * @param canBuy whether credits can be bought here ({@code POST /api/v1/credits/checkout}); when
 *     not, an admin grants them
 */
public record CreditBalanceView(
    BigDecimal availableUsd, BigDecimal reservedUsd, boolean required, boolean canBuy) {}
