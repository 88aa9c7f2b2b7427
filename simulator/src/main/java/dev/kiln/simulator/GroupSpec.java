package dev.kiln.simulator;

import dev.kiln.model.fleet.AgentGroup;
import java.util.function.Supplier;

/**
 * One agent group of a simulated fleet.
 *
 * @param name the group's name
 * @param instanceType what it launches
 * @param spotShare the share of its agents launched as spot (the rest on-demand, rounded in favour
 *     of on-demand as EC2 Auto Scaling does)
 * @param policy makes a fresh policy for each run
 */
public record GroupSpec(
    String name, InstanceType instanceType, double spotShare, Supplier<ScalingPolicy> policy) {
  public GroupSpec {
    if (!(spotShare >= 0 && spotShare <= 1)) {
      throw new IllegalArgumentException("the spot share is between 0 and 1");
    }
  }

  /** The group as the model's routing sees it. */
  public AgentGroup asAgentGroup() {
    return new AgentGroup(
        name, instanceType.accelerator(), instanceType.memoryMiB(), instanceType.onDemandHourly());
  }
}
