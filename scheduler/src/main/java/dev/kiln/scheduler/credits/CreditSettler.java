package dev.kiln.scheduler.credits;

import dev.kiln.db.credits.Ledger;
import dev.kiln.db.spend.MachineSeconds;
import dev.kiln.model.PriceTable;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the credits of finished jobs: each {@link #tick()} takes the reservations of jobs that
 * have ended (one per run: a retried job holds again), charges each run the job's actual cost to
 * date (its shards priced by the machines that ran them) less what its earlier runs were charged,
 * at most what the run held, and releases the rest, one run per transaction. Settling twice is a
 * no-op. Run by one leader-only poller thread; not thread-safe.
 */
public final class CreditSettler {
  /** Jobs settled per tick at most. */
  static final int BATCH = 100;

  private static final Logger LOG = LoggerFactory.getLogger(CreditSettler.class);

  private final Jdbi jdbi;
  private final PriceTable prices;
  private final Clock clock;

  public CreditSettler(Jdbi jdbi, PriceTable prices, Clock clock) {
    this.jdbi = jdbi;
    this.prices = prices;
    this.clock = clock;
  }

  /** Settles what has ended; idle when nothing waited to be settled. */
  public Pass tick() {
    List<Ledger.Unsettled> unsettled = jdbi.withHandle(handle -> Ledger.unsettled(handle, BATCH));
    for (Ledger.Unsettled job : unsettled) {
      Ledger.Reservation reservation = job.reservation();
      boolean settled =
          jdbi.inTransaction(
              handle -> {
                double usd =
                    MachineSeconds.cost(MachineSeconds.ofJob(handle, reservation.jobId()), prices)
                        .totalUsd();
                BigDecimal costToDate =
                    BigDecimal.valueOf(usd).setScale(Ledger.SCALE, RoundingMode.HALF_UP);
                return Ledger.settle(handle, reservation, costToDate, clock.instant());
              });
      if (settled) {
        LOG.debug("Settled the credits of job {}", reservation.jobId());
      }
    }
    return Pass.of(unsettled.size(), unsettled.size() == BATCH);
  }
}
