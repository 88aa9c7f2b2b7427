package dev.kiln.db.spend;

import dev.kiln.model.JobCost;
import dev.kiln.model.PriceTable;
import dev.kiln.model.fleet.Machine;
import dev.kiln.model.fleet.PurchaseOption;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Agent time of one job on one machine, as its shard rows recorded it ({@code V95}); a null machine
 * was not recorded (shards done before machines were, or by an agent that reports none).
 *
 * @param instanceType the instance type, or null
 * @param purchaseOption the purchase option's wire name, or null
 * @param seconds agent-seconds of the job's finished shards on it
 */
public record MachineSeconds(String instanceType, String purchaseOption, double seconds) {

  /** The job's agent time per machine, in a stable order. */
  public static List<MachineSeconds> ofJob(Handle handle, UUID jobId) {
    return handle
        .createQuery(
            """
            select instance_type, purchase_option, sum(agent_seconds) as seconds
              from shards
             where job_id = :jobId and agent_seconds > 0
             group by instance_type, purchase_option
             order by instance_type, purchase_option
            """)
        .bind("jobId", jobId)
        .map(
            (rs, ctx) ->
                new MachineSeconds(
                    rs.getString("instance_type"),
                    rs.getString("purchase_option"),
                    rs.getDouble("seconds")))
        .list();
  }

  /** What {@code rows} cost at {@code prices}. */
  public static JobCost cost(List<MachineSeconds> rows, PriceTable prices) {
    JobCost cost = JobCost.ZERO;
    for (MachineSeconds row : rows) {
      cost = cost.plus(prices, row.machine(), row.seconds());
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
}
