package dev.kiln.cli.release;

/**
 * Reads lease state from the GPU group itself: the scheduler's Auto Scaling fleet protects an
 * instance from scale-in while its agent holds a lease and lifts the protection when it is idle, so
 * a protected instance is a busy one. Thread-safe.
 */
public final class ProtectedMeansBusy implements AgentLeases {

  private final Groups groups;
  private final String group;

  public ProtectedMeansBusy(Groups groups, String group) {
    this.groups = groups;
    this.group = group;
  }

  @Override
  public boolean holdsLease(String instanceId) {
    return groups.describe(group).instances().stream()
        .filter(instance -> instance.instanceId().equals(instanceId))
        .anyMatch(instance -> Boolean.TRUE.equals(instance.protectedFromScaleIn()));
  }
}
