package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.InvalidValueException;
import java.math.BigDecimal;

/**
 * An account's monthly budget in USD; {@code null} lifts it. The field must be present, so an empty
 * body never lifts a budget by accident.
 */
public record BudgetRequest(@JsonProperty(required = true) BigDecimal monthlyBudgetUsd) {
  /** The largest budget accepted, far above any real month. */
  public static final BigDecimal MAX = new BigDecimal("1000000000");

  /** Budgets are kept to the cent. */
  public static final int MAX_SCALE = 2;

  /** Checks range before scale; both are cheap even for {@code 1E-1000000000}. */
  public BudgetRequest {
    if (monthlyBudgetUsd != null) {
      if (monthlyBudgetUsd.signum() < 0 || monthlyBudgetUsd.compareTo(MAX) > 0) {
        throw new InvalidValueException(
            "'monthlyBudgetUsd' must be a number of US dollars from 0 to "
                + MAX.toPlainString()
                + ", or null to lift the budget.");
      }
      if (monthlyBudgetUsd.signum() != 0
          && monthlyBudgetUsd.stripTrailingZeros().scale() > MAX_SCALE) {
        throw new InvalidValueException(
            "'monthlyBudgetUsd' may have at most " + MAX_SCALE + " decimals (cents).");
      }
    }
  }
}
