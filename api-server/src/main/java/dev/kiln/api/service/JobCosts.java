package dev.kiln.api.service;

import dev.kiln.client.api.JobCostView;
import dev.kiln.db.spend.MachineSeconds;
import dev.kiln.model.JobCost;
import dev.kiln.model.MachinePrice;
import dev.kiln.model.PriceTable;
import dev.kiln.model.fleet.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A job's cost priced by the machines that ran its shards (instance type, purchase option and zone,
 * as the completion recorded them) at the prices fetched from AWS in effect when they ran, or at
 * the configured price table where none was fetched; each machine's line says which. Thread-safe.
 */
public final class JobCosts {
  private static final String UNKNOWN = "unknown";

  private final Jdbi jdbi;
  private final JobService jobs;
  private final PriceTable prices;

  public JobCosts(Jdbi jdbi, JobService jobs, PriceTable prices) {
    this.jdbi = jdbi;
    this.jobs = jobs;
    this.prices = prices;
  }

  /** The owner's job's cost by machine; 404 if not yours. */
  public JobCostView cost(UUID ownerId, UUID jobId) {
    jobs.require(ownerId, jobId);
    List<MachineSeconds> rows = jdbi.withHandle(handle -> MachineSeconds.ofJob(handle, jobId));
    return view(jobId, rows, prices);
  }

  /** The view of a job's agent time per machine; pure, for tests. */
  static JobCostView view(UUID jobId, List<MachineSeconds> rows, PriceTable prices) {
    JobCost cost = JobCost.ZERO;
    double seconds = 0;
    List<JobCostView.MachineUse> machines = new ArrayList<>();
    for (MachineSeconds row : rows) {
      Machine machine = row.machine();
      MachinePrice price = row.price(prices);
      cost = cost.plus(machine, price, row.seconds());
      seconds += row.seconds();
      double hourly = price.hourlyUsd();
      machines.add(
          new JobCostView.MachineUse(
              machine == null ? UNKNOWN : machine.instanceType(),
              machine == null ? UNKNOWN : machine.purchaseOption().wireName(),
              row.seconds(),
              hourly,
              round(hourly * row.seconds() / 3600),
              price.source().wireName()));
    }
    JobCost shown = cost.shown();
    return new JobCostView(
        jobId,
        seconds,
        round(cost.totalUsd()),
        shown.spotUsd(),
        shown.onDemandUsd(),
        shown.otherUsd(),
        shown.onDemandEquivalentUsd(),
        round(cost.onDemandEquivalentUsd() - cost.totalUsd()),
        machines);
  }

  private static double round(double usd) {
    return Math.round(usd * 10_000) / 10_000.0;
  }
}
