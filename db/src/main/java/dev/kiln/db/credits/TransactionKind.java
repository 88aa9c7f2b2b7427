package dev.kiln.db.credits;

import java.util.Arrays;

/** What a ledger transaction does. */
public enum TransactionKind {
  GRANT("grant"),
  PURCHASE("purchase"),
  RESERVE("reserve"),
  SETTLE("settle");

  private final String wireName;

  TransactionKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static TransactionKind of(String wireName) {
    return Arrays.stream(values())
        .filter(kind -> kind.wireName.equals(wireName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown transaction kind " + wireName));
  }
}
