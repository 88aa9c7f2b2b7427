package dev.kiln.agent.drain;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * The termination hook of the agents' Auto Scaling group, through the Auto Scaling API (the agent
 * role may call it on its own group only). Thread-safe.
 */
public final class AutoScalingTerminationHook implements TerminationHook {
  private final AutoScalingClient autoScaling;
  private final String group;
  private final String hook;

  public AutoScalingTerminationHook(AutoScalingClient autoScaling, String group, String hook) {
    this.autoScaling = autoScaling;
    this.group = group;
    this.hook = hook;
  }

  @Override
  public void terminate(String instanceId) {
    autoScaling.terminateInstanceInAutoScalingGroup(
        terminate -> terminate.instanceId(instanceId).shouldDecrementDesiredCapacity(false));
  }

  @Override
  public void complete(String instanceId) {
    autoScaling.completeLifecycleAction(
        complete ->
            complete
                .autoScalingGroupName(group)
                .lifecycleHookName(hook)
                .instanceId(instanceId)
                .lifecycleActionResult("CONTINUE"));
  }
}
