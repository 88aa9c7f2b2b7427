package dev.kiln.db.credits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The prepaid-credit ledger (migration {@code V96}): every movement is one balanced transaction of
 * entries, posted in the caller's transaction; rows are never changed. An account's {@code
 * available} and {@code reserved} books never go below zero (PostgreSQL refuses the entry), which
 * answers {@link InsufficientCreditsException}. Stateless; every method takes the handle.
 */
public final class Ledger {
  /** Amounts are kept to a millionth of a dollar. */
  public static final int SCALE = 6;

  private Ledger() {}

  /** Adds credits an admin grants. */
  public static void grant(
      Handle handle, UUID accountId, BigDecimal amount, String memo, Instant now) {
    grantOnce(handle, accountId, amount, memo, now, "grant:" + UUID.randomUUID());
  }

  /**
   * Adds granted credits once per {@code reference} (such as a local installation's welcome
   * credits); answers false when that grant was made already.
   */
  public static boolean grantOnce(
      Handle handle,
      UUID accountId,
      BigDecimal amount,
      String memo,
      Instant now,
      String reference) {
    return post(
        handle,
        new Posting(
            UUID.randomUUID(),
            accountId,
            TransactionKind.GRANT,
            amount,
            null,
            reference,
            memo,
            now),
        List.of(
            new Leg(accountId, Book.AVAILABLE, amount),
            new Leg(null, Book.GRANTS, amount.negate())));
  }

  /**
   * Adds credits a payment bought; the provider's reference (its checkout session) makes this
   * idempotent: answers false when that payment was credited already.
   */
  public static boolean purchase(
      Handle handle, UUID accountId, BigDecimal amount, String providerReference, Instant now) {
    return post(
        handle,
        new Posting(
            UUID.randomUUID(),
            accountId,
            TransactionKind.PURCHASE,
            amount,
            null,
            "purchase:" + providerReference,
            "payment " + providerReference,
            now),
        List.of(
            new Leg(accountId, Book.AVAILABLE, amount),
            new Leg(null, Book.PURCHASES, amount.negate())));
  }

  /**
   * Holds a new job's estimated cost; nothing when the estimate is zero.
   *
   * @throws InsufficientCreditsException when the account's available credits do not cover it
   */
  public static void reserve(
      Handle handle, UUID accountId, UUID jobId, BigDecimal amount, Instant now) {
    reserveRun(handle, accountId, jobId, 1, amount, now);
  }

  /**
   * Holds the estimated cost of a retried job's next run; nothing when the estimate is zero. Each
   * run holds and is settled on its own, so a retried job pays for what it runs again. Call in the
   * transaction that reopened the job (which holds its row), so runs are numbered without repeats.
   *
   * @throws InsufficientCreditsException when the account's available credits do not cover it
   */
  public static void reserveRetry(
      Handle handle, UUID accountId, UUID jobId, BigDecimal amount, Instant now) {
    reserveRun(handle, accountId, jobId, runsHeld(handle, jobId) + 1, amount, now);
  }

  private static void reserveRun(
      Handle handle, UUID accountId, UUID jobId, int run, BigDecimal amount, Instant now) {
    if (amount.signum() == 0) {
      return;
    }
    post(
        handle,
        new Posting(
            UUID.randomUUID(),
            accountId,
            TransactionKind.RESERVE,
            amount,
            jobId,
            RunReference.reserve(jobId, run),
            run == 1 ? "held for job " + jobId : "held for job " + jobId + " (run " + run + ")",
            now),
        List.of(
            new Leg(accountId, Book.AVAILABLE, amount.negate()),
            new Leg(accountId, Book.RESERVED, amount)));
  }

  /**
   * Settles one run of a finished job: charges the job's cost to date less what its earlier runs
   * were charged, at most what this run held, and gives the rest back. Idempotent: answers false
   * when that run was settled already.
   *
   * @param costToDate the job's cost over all its runs so far
   */
  public static boolean settle(
      Handle handle, Reservation reservation, BigDecimal costToDate, Instant now) {
    BigDecimal held = reservation.amount();
    BigDecimal actual = costToDate.subtract(charged(handle, reservation.jobId()));
    BigDecimal charged =
        actual.max(BigDecimal.ZERO).min(held).setScale(SCALE, RoundingMode.HALF_UP);
    List<Leg> legs = new ArrayList<>();
    legs.add(new Leg(reservation.accountId(), Book.RESERVED, held.negate()));
    legs.add(new Leg(null, Book.USAGE, charged));
    legs.add(new Leg(reservation.accountId(), Book.AVAILABLE, held.subtract(charged)));
    return post(
        handle,
        new Posting(
            UUID.randomUUID(),
            reservation.accountId(),
            TransactionKind.SETTLE,
            charged,
            reservation.jobId(),
            RunReference.settlementOf(reservation.reference()),
            actual.compareTo(held) > 0
                ? "job " + reservation.jobId() + " cost " + actual + "; charged what was held"
                : "job " + reservation.jobId(),
            now),
        legs);
  }

  /** How many runs of the job have held credits. */
  private static int runsHeld(Handle handle, UUID jobId) {
    return handle
        .createQuery(
            "select count(*) from ledger_transactions where job_id = :jobId and kind = :kind")
        .bind("jobId", jobId)
        .bind("kind", TransactionKind.RESERVE.wireName())
        .mapTo(Integer.class)
        .one();
  }

  /** What the job's settled runs were charged. */
  private static BigDecimal charged(Handle handle, UUID jobId) {
    return handle
        .createQuery(
            "select coalesce(sum(amount), 0) from ledger_transactions"
                + " where job_id = :jobId and kind = :kind")
        .bind("jobId", jobId)
        .bind("kind", TransactionKind.SETTLE.wireName())
        .mapTo(BigDecimal.class)
        .one();
  }

  /** The account's available and reserved credits. */
  public static Balance balance(Handle handle, UUID accountId) {
    return handle
        .createQuery(
            """
            select coalesce(sum(balance) filter (where kind = 'available'), 0) as available,
                   coalesce(sum(balance) filter (where kind = 'reserved'), 0) as reserved
              from ledger_books where account_id = :accountId
            """)
        .bind("accountId", accountId)
        .map((rs, ctx) -> new Balance(rs.getBigDecimal("available"), rs.getBigDecimal("reserved")))
        .one();
  }

  /** Reservations of finished jobs not settled yet, oldest first. */
  public static List<Unsettled> unsettled(Handle handle, int limit) {
    return handle
        .createQuery(
            """
            select r.account_id, r.job_id, r.amount, r.reference
              from ledger_transactions r
              join jobs j on j.id = r.job_id
             where r.kind = 'reserve' and j.finished_at is not null
               and not exists (select 1 from ledger_transactions s
                                where s.reference = 'settle:' || substr(r.reference, 9))
             order by r.created_at
             limit :limit
            """)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Unsettled(
                    new Reservation(
                        rs.getObject("account_id", UUID.class),
                        rs.getObject("job_id", UUID.class),
                        rs.getBigDecimal("amount"),
                        rs.getString("reference"))))
        .list();
  }

  private static boolean post(Handle handle, Posting posting, List<Leg> legs) {
    int inserted =
        handle
            .createUpdate(
                """
                insert into ledger_transactions
                    (id, account_id, kind, amount, job_id, reference, memo, created_at)
                values (:id, :accountId, :kind, :amount, :jobId, :reference, :memo, :now)
                on conflict (reference) do nothing
                """)
            .bind("id", posting.id())
            .bind("accountId", posting.accountId())
            .bind("kind", posting.kind().wireName())
            .bind("amount", posting.amount())
            .bind("jobId", posting.jobId())
            .bind("reference", posting.reference())
            .bind("memo", posting.memo())
            .bind("now", posting.at())
            .execute();
    if (inserted == 0) {
      return false;
    }
    // Books are always locked in the same order (available, reserved, then the platform's), so
    // concurrent postings for one account cannot deadlock.
    List<Leg> ordered = new ArrayList<>(legs);
    ordered.sort(java.util.Comparator.comparing(Leg::book));
    for (Leg leg : ordered) {
      if (leg.amount().signum() == 0) {
        continue;
      }
      long book = book(handle, leg.accountId(), leg.book());
      try {
        handle
            .createUpdate(
                "insert into ledger_entries (transaction_id, book_id, amount)"
                    + " values (:transaction, :book, :amount)")
            .bind("transaction", posting.id())
            .bind("book", book)
            .bind("amount", leg.amount())
            .execute();
      } catch (RuntimeException e) {
        if (CheckViolations.isCheckViolation(e)) {
          throw new InsufficientCreditsException(posting.accountId(), leg.amount().negate(), e);
        }
        throw e;
      }
    }
    return true;
  }

  private static long book(Handle handle, UUID accountId, Book book) {
    if (accountId == null) {
      return handle
          .createQuery("select id from ledger_books where account_id is null and kind = :kind")
          .bind("kind", book.wireName())
          .mapTo(Long.class)
          .one();
    }
    handle
        .createUpdate(
            "insert into ledger_books (account_id, kind) values (:accountId, :kind)"
                + " on conflict (account_id, kind) where account_id is not null do nothing")
        .bind("accountId", accountId)
        .bind("kind", book.wireName())
        .execute();
    return handle
        .createQuery("select id from ledger_books where account_id = :accountId and kind = :kind")
        .bind("accountId", accountId)
        .bind("kind", book.wireName())
        .mapTo(Long.class)
        .one();
  }

  /** One book's share of a transaction. */
  private record Leg(UUID accountId, Book book, BigDecimal amount) {}

  /** A transaction's header. */
  private record Posting(
      UUID id,
      UUID accountId,
      TransactionKind kind,
      BigDecimal amount,
      UUID jobId,
      String reference,
      String memo,
      Instant at) {}

  /** An account's credits now. */
  public record Balance(BigDecimal available, BigDecimal reserved) {}

  /** What one run of a job holds, under its reservation's reference. */
  public record Reservation(UUID accountId, UUID jobId, BigDecimal amount, String reference) {}

  /** A finished job's reservation waiting to be settled. */
  public record Unsettled(Reservation reservation) {}
}
