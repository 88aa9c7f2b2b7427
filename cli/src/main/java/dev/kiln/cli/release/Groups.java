package dev.kiln.cli.release;

import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.autoscaling.model.ScheduledUpdateGroupAction;

/** Reads and resizes Auto Scaling groups. Thread-safe. */
public final class Groups {

  private final AutoScalingClient autoScaling;

  public Groups(AutoScalingClient autoScaling) {
    this.autoScaling = autoScaling;
  }

  public AutoScalingGroup describe(String name) {
    return autoScaling
        .describeAutoScalingGroups(describe -> describe.autoScalingGroupNames(name))
        .autoScalingGroups()
        .stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Auto Scaling group named " + name));
  }

  /** Whether a group of that name exists. */
  public boolean exists(String name) {
    return !autoScaling
        .describeAutoScalingGroups(describe -> describe.autoScalingGroupNames(name))
        .autoScalingGroups()
        .isEmpty();
  }

  /** The launch template the group launches from, plain or inside a mixed instances policy. */
  public static LaunchTemplateSpecification template(AutoScalingGroup group) {
    if (group.launchTemplate() != null) {
      return group.launchTemplate();
    }
    MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
    if (mixed != null && mixed.launchTemplate() != null) {
      return mixed.launchTemplate().launchTemplateSpecification();
    }
    throw new IllegalStateException(
        "group " + group.autoScalingGroupName() + " has no launch template");
  }

  /** Instances that are in service or on their way there. */
  public static List<Instance> live(AutoScalingGroup group) {
    return group.instances().stream()
        .filter(
            instance ->
                instance.lifecycleState() == LifecycleState.IN_SERVICE
                    || instance.lifecycleState() == LifecycleState.PENDING
                    || instance.lifecycleState() == LifecycleState.PENDING_WAIT
                    || instance.lifecycleState() == LifecycleState.PENDING_PROCEED)
        .toList();
  }

  /** Points the group at one version of its launch template. */
  public void useTemplateVersion(AutoScalingGroup group, String version) {
    LaunchTemplateSpecification current = template(group);
    LaunchTemplateSpecification next =
        LaunchTemplateSpecification.builder()
            .launchTemplateName(current.launchTemplateName())
            .launchTemplateId(
                current.launchTemplateName() == null ? current.launchTemplateId() : null)
            .version(version)
            .build();
    if (group.launchTemplate() != null) {
      autoScaling.updateAutoScalingGroup(
          update -> update.autoScalingGroupName(group.autoScalingGroupName()).launchTemplate(next));
    } else {
      MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
      MixedInstancesPolicy updated =
          mixed.toBuilder()
              .launchTemplate(
                  mixed.launchTemplate().toBuilder().launchTemplateSpecification(next).build())
              .build();
      autoScaling.updateAutoScalingGroup(
          update ->
              update
                  .autoScalingGroupName(group.autoScalingGroupName())
                  .mixedInstancesPolicy(updated));
    }
  }

  /** Pins the group at exactly {@code size} instances (minimum and desired). */
  public void pin(String group, int size) {
    AutoScalingGroup current = describe(group);
    int max = Math.max(current.maxSize(), size);
    autoScaling.updateAutoScalingGroup(
        update ->
            update.autoScalingGroupName(group).minSize(size).desiredCapacity(size).maxSize(max));
  }

  public void protect(String group, List<String> instanceIds, boolean protect) {
    if (!instanceIds.isEmpty()) {
      autoScaling.setInstanceProtection(
          set ->
              set.autoScalingGroupName(group)
                  .instanceIds(instanceIds)
                  .protectedFromScaleIn(protect));
    }
  }

  /** The scheduled action that wakes a color in the morning (office hours, terraform/modules). */
  public static String wakeAction(Color color) {
    return "kiln-wake-" + color.label();
  }

  /**
   * Office hours: makes the live color's wake action start {@code size} instances and the other
   * color's none, so the color that wakes is the one users are sent to. Groups without a wake
   * action (estates that run always) are left alone.
   */
  public void wakeOnly(Color live, String liveGroup, String idleGroup, int size) {
    wakeWith(liveGroup, wakeAction(live), size);
    wakeWith(idleGroup, wakeAction(live.other()), 0);
  }

  private void wakeWith(String group, String action, int size) {
    List<ScheduledUpdateGroupAction> actions =
        autoScaling
            .describeScheduledActions(
                describe -> describe.autoScalingGroupName(group).scheduledActionNames(action))
            .scheduledUpdateGroupActions();
    if (actions.isEmpty()) {
      return;
    }
    ScheduledUpdateGroupAction wake = actions.get(0);
    autoScaling.putScheduledUpdateGroupAction(
        put -> {
          put.autoScalingGroupName(group)
              .scheduledActionName(action)
              .recurrence(wake.recurrence())
              .timeZone(wake.timeZone())
              .minSize(size)
              .desiredCapacity(size);
          if (wake.maxSize() != null && wake.maxSize() >= 0) {
            put.maxSize(wake.maxSize());
          }
        });
  }

  /**
   * Terminates one instance; the group launches a replacement from its current template. An
   * instance already on its way out (a drained agent ends itself) is not an error.
   */
  public void replace(String instanceId) {
    try {
      autoScaling.terminateInstanceInAutoScalingGroup(
          terminate -> terminate.instanceId(instanceId).shouldDecrementDesiredCapacity(false));
    } catch (AutoScalingException e) {
      if (e.statusCode() != 400
          || e.getMessage() == null
          || !e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("terminat")) {
        throw e;
      }
    }
  }
}
