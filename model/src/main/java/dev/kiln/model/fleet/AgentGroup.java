package dev.kiln.model.fleet;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One group of like agents that the autoscaler sizes from its own backlog: an Auto Scaling group of
 * one machine class on AWS.
 *
 * @param name the group's name, such as {@code gpu} or {@code cpu}
 * @param accelerator what its machines offer
 * @param memoryMiB memory per agent slot
 * @param hourlyUsd what one of its machines costs per hour (on-demand), to prefer the cheaper group
 */
public record AgentGroup(String name, Accelerator accelerator, int memoryMiB, double hourlyUsd) {

  /** Whether this group's machines can run a shard with these needs. */
  public boolean fits(ProcessorNeeds needs) {
    return accelerator.satisfies(needs.accelerator()) && memoryMiB >= needs.memoryMiB();
  }

  /**
   * The cheapest of {@code groups} that fits {@code needs} (ties: the first listed), so CPU work
   * lands on a CPU group when one exists and on a GPU group otherwise.
   */
  public static Optional<AgentGroup> cheapestFitting(
      List<AgentGroup> groups, ProcessorNeeds needs) {
    return groups.stream()
        .filter(group -> group.fits(needs))
        .min(Comparator.comparingDouble(AgentGroup::hourlyUsd));
  }
}
