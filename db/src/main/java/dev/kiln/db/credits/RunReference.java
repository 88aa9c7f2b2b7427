package dev.kiln.db.credits;

import java.util.UUID;

/**
 * The ledger references of a job's runs: {@code reserve:{job}} for its submission, {@code
 * reserve:{job}:{run}} for each retry, and the settlement of each under the same suffix ({@code
 * settle:...}), so a run is held and settled at most once (the references are unique). {@link
 * Ledger#unsettled} pairs them in SQL by the same rule.
 */
final class RunReference {
  private static final String RESERVE = "reserve:";
  private static final String SETTLE = "settle:";

  private RunReference() {}

  /** The reference of the job's {@code run}-th reservation, counted from 1. */
  static String reserve(UUID jobId, int run) {
    return run == 1 ? RESERVE + jobId : RESERVE + jobId + ":" + run;
  }

  /** The reference that settles the reservation made under {@code reserveReference}. */
  static String settlementOf(String reserveReference) {
    if (!reserveReference.startsWith(RESERVE)) {
      throw new IllegalArgumentException("not a reservation: " + reserveReference);
    }
    return SETTLE + reserveReference.substring(RESERVE.length());
  }
}
