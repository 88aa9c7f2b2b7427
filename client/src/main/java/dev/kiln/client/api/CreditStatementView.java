package dev.kiln.client.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An account's credits over one calendar month (UTC).
 *
 * @param month {@code YYYY-MM}
 * @param openingUsd available credits when the month began
 * @param closingUsd available credits when it ended (or now)
 * @param lines every movement, oldest first
 */
public record CreditStatementView(
    String month, BigDecimal openingUsd, BigDecimal closingUsd, List<Line> lines) {
  public CreditStatementView {
    lines = List.copyOf(lines);
  }

  /**
   * One movement of credits.
   *
   * @param at when
   * @param kind {@code grant}, {@code purchase}, {@code reserve} or {@code settle}
   * @param jobId the job a reservation or settlement is for
   * @param memo what it was
   * @param availableChangeUsd change to the available credits
   * @param reservedChangeUsd change to the reserved credits
   * @param availableAfterUsd available credits after it
   */
  public record Line(
      Instant at,
      String kind,
      UUID jobId,
      String memo,
      BigDecimal availableChangeUsd,
      BigDecimal reservedChangeUsd,
      BigDecimal availableAfterUsd) {}
}
