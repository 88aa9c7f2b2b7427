package dev.kiln.client.api;

import java.math.BigDecimal;

/**
 * An account's prepaid credits.
 *
 * @param availableUsd credits the account may spend
 * @param reservedUsd credits held for its running jobs
 * @param required whether submissions need credits on this installation
 */
public record CreditBalanceView(
    BigDecimal availableUsd, BigDecimal reservedUsd, boolean required) {}
