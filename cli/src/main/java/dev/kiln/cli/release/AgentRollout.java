package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import dev.kiln.protocol.InstanceTags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Rolls one agent group (GPU or CPU, each from its own AMI) onto a new AMI without cutting a lease
 * short. The group gets a new launch template version; every agent on an older version is tagged
 * {@code kiln:drain=true} (the agent reads the tag from instance metadata, stops leasing and
 * releases what it holds); an old agent that holds no lease is terminated and replaced by the
 * group, one that holds a lease is protected from scale-in and waited for. The desired capacity
 * stays with the scheduler's autoscaler. Not thread-safe: one rollout at a time.
 */
public final class AgentRollout {

  public static final String DRAIN_TAG = InstanceTags.DRAIN;

  private final Estate estate;
  private final Role role;
  private final Ec2Client ec2;
  private final Groups groups;
  private final LaunchTemplates templates;
  private final AgentLeases leases;
  private final Waiter waiter;
  private final Duration drainTimeout;
  private final Consumer<String> progress;

  /**
   * @param role {@link Role#gpu} or {@link Role#cpu}: the group rolled and the {@code kiln:role}
   *     the AMI must carry
   */
  public AgentRollout(
      Estate estate,
      Role role,
      Ec2Client ec2,
      Groups groups,
      LaunchTemplates templates,
      AgentLeases leases,
      Waiter waiter,
      Duration drainTimeout,
      Consumer<String> progress) {
    if (role == Role.web) {
      throw new IllegalArgumentException("the web tier is released blue/green, not rolled");
    }
    this.estate = estate;
    this.role = role;
    this.ec2 = ec2;
    this.groups = groups;
    this.templates = templates;
    this.leases = leases;
    this.waiter = waiter;
    this.drainTimeout = drainTimeout;
    this.progress = progress;
  }

  /**
   * Rolls the group onto {@code ami}; refuses, before changing anything, an image not baked for
   * this role or one whose architecture the group's instance types cannot boot.
   */
  public StepResult roll(String ami) throws InterruptedException {
    templates.requireRole(ami, role.name());
    String name = estate.agentGroup(role);
    String template = estate.agentTemplate(role);
    AutoScalingGroup group = groups.describe(name);
    String latest = templates.latestVersion(template);
    new Architectures(ec2)
        .requireRunnable(
            ami,
            name,
            Architectures.instanceTypes(group, templates.instanceTypeOf(template, latest)),
            role);
    String version =
        templates.createVersion(
            template, latest, ami, "kiln release deploy --role " + role.name() + " " + ami);
    groups.useTemplateVersion(group, version);
    templates.makeDefault(template, version);
    progress.accept(name + " launches version " + version + " (" + ami + ") from now on");

    Set<String> replaced = new LinkedHashSet<>();
    Set<String> waitedFor = new LinkedHashSet<>();
    boolean done =
        waiter.until(drainTimeout, () -> drainStep(name, ami, replaced, waitedFor).isEmpty());
    List<String> left = drainStep(name, ami, replaced, waitedFor);
    if (done || left.isEmpty()) {
      return new StepResult(
          Outcome.SUCCEEDED,
          ami,
          null,
          null,
          "replaced "
              + replaced.size()
              + " agents ("
              + waitedFor.size()
              + " after they finished their leases)");
    }
    return new StepResult(
        Outcome.TIMED_OUT,
        ami,
        null,
        null,
        "replaced "
            + replaced.size()
            + " agents; still busy after "
            + drainTimeout
            + " and left running (tagged "
            + DRAIN_TAG
            + "): "
            + String.join(", ", left));
  }

  /** One pass: returns the old-AMI agents still running. */
  private List<String> drainStep(
      String name, String ami, Set<String> replaced, Set<String> waitedFor) {
    List<String> running =
        Groups.live(groups.describe(name)).stream().map(Instance::instanceId).toList();
    Map<String, String> images = templates.imagesOf(running);
    List<String> old = new ArrayList<>();
    for (String instanceId : running) {
      if (!ami.equals(images.get(instanceId)) && !replaced.contains(instanceId)) {
        old.add(instanceId);
      }
    }
    if (old.isEmpty()) {
      return old;
    }
    ec2.createTags(tag -> tag.resources(old).tags(t -> t.key(DRAIN_TAG).value("true")));
    List<String> busy = new ArrayList<>();
    for (String instanceId : old) {
      if (leases.holdsLease(instanceId)) {
        busy.add(instanceId);
        waitedFor.add(instanceId);
      } else {
        groups.replace(instanceId);
        replaced.add(instanceId);
        progress.accept("replaced idle agent " + instanceId);
      }
    }
    groups.protect(name, busy, true);
    if (!busy.isEmpty()) {
      progress.accept("waiting for busy agents: " + String.join(", ", busy));
    }
    return busy;
  }
}
