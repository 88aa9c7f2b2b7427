package dev.kiln.client.api;

import java.util.List;
import java.util.UUID;

/**
 * What a job cost, priced by the machines that ran its shards: split by spot and on-demand, and
 * what it would have cost on demand.
 *
 * @param jobId the job
 * @param agentSeconds agent time of its finished shards
 * @param usd what they cost: spot, on-demand and flat-priced together
 * @param spotUsd the part run on spot machines
 * @param onDemandUsd the part run on on-demand machines
 * @param flatUsd the part priced at the flat agent price (local agents, machines the price table
 *     does not know, shards finished before machines were recorded)
 * @param onDemandEquivalentUsd what every shard would have cost on demand
 * @param savedUsd {@code onDemandEquivalentUsd - usd}
 * @param machines agent time and cost per machine and price
 */
public record JobCostView(
    UUID jobId,
    double agentSeconds,
    double usd,
    double spotUsd,
    double onDemandUsd,
    double flatUsd,
    double onDemandEquivalentUsd,
    double savedUsd,
    List<MachineUse> machines) {
  public JobCostView {
    machines = List.copyOf(machines);
  }

  /**
   * One machine's share.
   *
   * @param instanceType the EC2 instance type, {@code local}, or {@code unknown}
   * @param purchaseOption {@code spot}, {@code on-demand}, {@code local} or {@code unknown}
   * @param agentSeconds agent time on it
   * @param hourlyUsd its price per hour
   * @param usd what that time cost
   * @param priceSource where {@code hourlyUsd} came from: {@code spot-price-history} (EC2's spot
   *     price of the machine's type and zone when it ran), {@code pricing-api} (the AWS on-demand
   *     price then), {@code configured} (the configured price of its type: nothing was fetched for
   *     it then) or {@code flat} (the flat agent price)
   */
  public record MachineUse(
      String instanceType,
      String purchaseOption,
      double agentSeconds,
      double hourlyUsd,
      double usd,
      String priceSource) {}
}
