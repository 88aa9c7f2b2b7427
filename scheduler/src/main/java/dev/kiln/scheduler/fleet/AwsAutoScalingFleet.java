package dev.kiln.scheduler.fleet;

import dev.kiln.model.fleet.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/**
 * An EC2 Auto Scaling group of agent instances. {@link #resize(int)} sets the desired capacity
 * (cooldown ignored, kept within the group's own minimum and maximum); before every resize and on
 * every {@link #refresh()} the instances whose agents hold leases are protected from scale-in and
 * the idle ones are not, so scaling in only ever terminates idle agents. Thread-safe.
 */
public final class AwsAutoScalingFleet implements Fleet {
  private static final Logger LOG = LoggerFactory.getLogger(AwsAutoScalingFleet.class);

  /** SetInstanceProtection takes at most this many instance ids per call. */
  private static final int PROTECTION_BATCH = 50;

  private final AutoScalingClient autoScaling;
  private final String groupName;
  private final Supplier<Map<String, Integer>> leasesByInstance;

  /**
   * @param autoScaling the client (its region and endpoint pick the group's account)
   * @param groupName the Auto Scaling group of agents
   * @param leasesByInstance leases held per EC2 instance id now, from the agent registry
   */
  public AwsAutoScalingFleet(
      AutoScalingClient autoScaling,
      String groupName,
      Supplier<Map<String, Integer>> leasesByInstance) {
    this.autoScaling = autoScaling;
    this.groupName = groupName;
    this.leasesByInstance = leasesByInstance;
  }

  /** The group's desired capacity: agents running or on their way. */
  @Override
  public int size() {
    return group().desiredCapacity();
  }

  @Override
  public synchronized void resize(int desired) {
    AutoScalingGroup group = protectBusy(group());
    int bounded = Math.max(group.minSize(), Math.min(group.maxSize(), desired));
    if (bounded != desired) {
      LOG.info(
          "{} agents asked for; group {} allows {} to {}: setting {}",
          desired,
          groupName,
          group.minSize(),
          group.maxSize(),
          bounded);
    }
    if (bounded != group.desiredCapacity()) {
      autoScaling.setDesiredCapacity(
          set -> set.autoScalingGroupName(groupName).desiredCapacity(bounded).honorCooldown(false));
    }
  }

  @Override
  public synchronized void refresh() {
    protectBusy(group());
  }

  @Override
  public String describe() {
    return "Auto Scaling group " + groupName;
  }

  /** Protects busy instances, unprotects idle ones; answers the group as it was read. */
  private AutoScalingGroup protectBusy(AutoScalingGroup group) {
    Map<String, Integer> leases = leasesByInstance.get();
    List<String> protect = new ArrayList<>();
    List<String> release = new ArrayList<>();
    for (Instance instance : group.instances()) {
      if (instance.lifecycleState() != LifecycleState.IN_SERVICE
          && instance.lifecycleState() != LifecycleState.PENDING
          && instance.lifecycleState() != LifecycleState.PENDING_WAIT
          && instance.lifecycleState() != LifecycleState.PENDING_PROCEED) {
        continue;
      }
      boolean busy = leases.getOrDefault(instance.instanceId(), 0) > 0;
      boolean isProtected = Boolean.TRUE.equals(instance.protectedFromScaleIn());
      if (busy && !isProtected) {
        protect.add(instance.instanceId());
      } else if (!busy && isProtected) {
        release.add(instance.instanceId());
      }
    }
    setProtection(protect, true);
    setProtection(release, false);
    return group;
  }

  private void setProtection(List<String> instanceIds, boolean protect) {
    for (int from = 0; from < instanceIds.size(); from += PROTECTION_BATCH) {
      List<String> batch =
          instanceIds.subList(from, Math.min(instanceIds.size(), from + PROTECTION_BATCH));
      autoScaling.setInstanceProtection(
          set ->
              set.autoScalingGroupName(groupName).instanceIds(batch).protectedFromScaleIn(protect));
      LOG.debug("{} scale-in protection of {}", protect ? "set" : "lifted", batch);
    }
  }

  private AutoScalingGroup group() {
    return autoScaling
        .describeAutoScalingGroups(describe -> describe.autoScalingGroupNames(groupName))
        .autoScalingGroups()
        .stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Auto Scaling group named " + groupName));
  }
}
