package dev.kiln.db.credits;

import java.math.BigDecimal;
import java.util.UUID;

/** A posting would take an account's credits below zero; the transaction must roll back. */
public final class InsufficientCreditsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final UUID accountId;
  private final BigDecimal needed;

  InsufficientCreditsException(UUID accountId, BigDecimal needed, Throwable cause) {
    super("account " + accountId + " has not got " + needed + " USD of credits", cause);
    this.accountId = accountId;
    this.needed = needed;
  }

  public UUID accountId() {
    return accountId;
  }

  public BigDecimal needed() {
    return needed;
  }
}
