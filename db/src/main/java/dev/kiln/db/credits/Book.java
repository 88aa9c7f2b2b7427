package dev.kiln.db.credits;

/** The ledger's books: an account's two and the platform's three that mirror them. */
public enum Book {
  /** Credits the account may spend. */
  AVAILABLE("available"),
  /** Credits held for the account's running jobs. */
  RESERVED("reserved"),
  /** Where credits an admin granted come from. */
  GRANTS("grants"),
  /** Where credits a payment bought come from. */
  PURCHASES("purchases"),
  /** Where credits jobs used go. */
  USAGE("usage");

  private final String wireName;

  Book(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
