package dev.kiln.db.credits;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** An account's ledger over a period, as its statement shows it. Stateless. */
public final class Statements {
  private Statements() {}

  /**
   * The account's transactions in {@code [from, until)}, oldest first (in posting order within one
   * instant), each with its change to the available and reserved credits and the available credits
   * after it.
   */
  public static Statement of(Handle handle, UUID accountId, Instant from, Instant until) {
    BigDecimal opening = availableBefore(handle, accountId, from);
    List<Line> lines = new ArrayList<>();
    BigDecimal available = opening;
    for (Line line :
        handle
            .createQuery(
                """
                select t.id, t.kind, t.job_id, t.memo, t.created_at,
                       coalesce(sum(e.amount) filter (where b.kind = 'available'), 0) as available,
                       coalesce(sum(e.amount) filter (where b.kind = 'reserved'), 0) as reserved
                  from ledger_transactions t
                  join ledger_entries e on e.transaction_id = t.id
                  join ledger_books b on b.id = e.book_id and b.account_id = t.account_id
                 where t.account_id = :accountId and t.created_at >= :from
                   and t.created_at < :until
                 group by t.id
                 order by t.created_at, min(e.id)
                """)
            .bind("accountId", accountId)
            .bind("from", from)
            .bind("until", until)
            .map(
                (rs, ctx) ->
                    new Line(
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("created_at").toInstant(),
                        TransactionKind.of(rs.getString("kind")),
                        rs.getObject("job_id", UUID.class),
                        rs.getString("memo"),
                        rs.getBigDecimal("available"),
                        rs.getBigDecimal("reserved"),
                        null))
            .list()) {
      available = available.add(line.availableChange());
      lines.add(line.withAvailableAfter(available));
    }
    return new Statement(accountId, from, until, opening, available, lines);
  }

  private static BigDecimal availableBefore(Handle handle, UUID accountId, Instant from) {
    return handle
        .createQuery(
            """
            select coalesce(sum(e.amount), 0)
              from ledger_entries e
              join ledger_books b on b.id = e.book_id
              join ledger_transactions t on t.id = e.transaction_id
             where b.account_id = :accountId and b.kind = 'available' and t.created_at < :from
            """)
        .bind("accountId", accountId)
        .bind("from", from)
        .mapTo(BigDecimal.class)
        .one();
  }

  /** One account's statement. */
  public record Statement(
      UUID accountId,
      Instant from,
      Instant until,
      BigDecimal openingAvailable,
      BigDecimal closingAvailable,
      List<Line> lines) {}

  /** One transaction on a statement. */
  public record Line(
      UUID transactionId,
      Instant at,
      TransactionKind kind,
      UUID jobId,
      String memo,
      BigDecimal availableChange,
      BigDecimal reservedChange,
      BigDecimal availableAfter) {
    Line withAvailableAfter(BigDecimal after) {
      return new Line(transactionId, at, kind, jobId, memo, availableChange, reservedChange, after);
    }
  }
}
