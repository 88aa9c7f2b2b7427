package dev.kiln.db.spend;

import dev.kiln.model.JobCost;
import dev.kiln.model.MachinePrice;
import dev.kiln.model.PriceSource;
import dev.kiln.model.PriceTable;
import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Agent time of one job on one machine at one price, as its shard rows recorded it ({@code V95})
 * and as the prices fetched from AWS stood when they ran ({@code V99}); a null machine was not
 * recorded (shards done before machines were, or by an agent that reports none).
 *
 * @param instanceType the instance type, or null
 * @param purchaseOption the purchase option's wire name, or null
 * @param seconds agent-seconds of the job's finished shards on it
 * @param fetchedHourlyUsd the fetched price of the machine in effect when they ran, or null when
 *     none was fetched (the configured price applies)
 * @param fetchedSource the wire name of that price's {@link PriceSource}, or null
 * @param fetchedOnDemandHourlyUsd the fetched on-demand price of the type then, or null
 */
public record MachineSeconds(
    String instanceType,
    String purchaseOption,
    double seconds,
    Double fetchedHourlyUsd,
    String fetchedSource,
    Double fetchedOnDemandHourlyUsd) {
  private static final String QUERY = sql("machine-seconds.sql");

  /** Agent time priced at the configured prices alone. */
  public MachineSeconds(String instanceType, String purchaseOption, double seconds) {
    this(instanceType, purchaseOption, seconds, null, null, null);
  }

  /** The job's agent time per machine and price, in a stable order. */
  public static List<MachineSeconds> ofJob(Handle handle, UUID jobId) {
    return handle
        .createQuery(QUERY)
        .bind("jobId", jobId)
        .map(
            (rs, ctx) ->
                new MachineSeconds(
                    rs.getString("instance_type"),
                    rs.getString("purchase_option"),
                    rs.getDouble("seconds"),
                    rs.getObject("fetched_usd", Double.class),
                    rs.getString("fetched_source"),
                    rs.getObject("on_demand_usd", Double.class)))
        .list();
  }

  /** What {@code rows} cost at the fetched prices they carry, else at {@code prices}. */
  public static JobCost cost(List<MachineSeconds> rows, PriceTable prices) {
    JobCost cost = JobCost.ZERO;
    for (MachineSeconds row : rows) {
      cost = cost.plus(row.machine(), row.price(prices), row.seconds());
    }
    return cost;
  }

  /** The machine, or null when not recorded. */
  public Machine machine() {
    if (instanceType == null || purchaseOption == null) {
      return null;
    }
    return new Machine(instanceType, PurchaseOption.parse(purchaseOption));
  }

  /**
   * The price this time ran at: the fetched one when there was one, the configured one otherwise;
   * the on-demand equivalent likewise.
   */
  public MachinePrice price(PriceTable prices) {
    Machine machine = machine();
    MachinePrice configured = prices.price(machine);
    if (machine == null || machine.purchaseOption() == PurchaseOption.LOCAL) {
      return configured;
    }
    double onDemand =
        fetchedOnDemandHourlyUsd != null
            ? fetchedOnDemandHourlyUsd
            : prices.onDemandHourlyUsd(machine);
    if (fetchedHourlyUsd == null || fetchedSource == null) {
      return new MachinePrice(configured.hourlyUsd(), onDemand, configured.source());
    }
    return new MachinePrice(fetchedHourlyUsd, onDemand, PriceSource.parse(fetchedSource));
  }

  private static String sql(String name) {
    try (InputStream in = MachineSeconds.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no SQL file " + name + " beside " + MachineSeconds.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
