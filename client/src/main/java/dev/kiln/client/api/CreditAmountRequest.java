package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.InvalidValueException;
import java.math.BigDecimal;

/**
 * An amount of credits in USD to buy or to grant, with an optional note for the statement.
 *
 * @param amountUsd from 0.01 to {@link #MAX}, to the cent
 * @param memo shown on the statement (grants); at most 200 characters
 */
public record CreditAmountRequest(
    @JsonProperty(required = true) BigDecimal amountUsd, String memo) {
  /** The most credits one request moves. */
  public static final BigDecimal MAX = new BigDecimal("100000");

  public CreditAmountRequest {
    if (amountUsd == null
        || amountUsd.signum() <= 0
        || amountUsd.compareTo(MAX) > 0
        || amountUsd.stripTrailingZeros().scale() > 2) {
      throw new InvalidValueException(
          "'amountUsd' must be a number of US dollars from 0.01 to "
              + MAX.toPlainString()
              + ", to the cent.");
    }
    if (memo != null && (memo.length() > 200 || Validation.hasControlCharacters(memo))) {
      throw new InvalidValueException("'memo' must be at most 200 printable characters.");
    }
    memo = memo == null ? "" : memo.strip();
  }
}
