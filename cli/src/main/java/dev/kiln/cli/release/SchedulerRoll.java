package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/**
 * Puts the schedulers' own group (prod) on a new web AMI, one instance at a time: the group gets a
 * launch template version copied from the template's latest with the new image, then each old
 * instance is replaced only once every other one is in service. The schedulers are leader-elected,
 * so while the leader's instance goes another takes over; there is always a running scheduler. Not
 * thread-safe: one release at a time.
 */
public final class SchedulerRoll {

  private final Groups groups;
  private final LaunchTemplates templates;
  private final Waiter waiter;
  private final Duration timeout;
  private final Consumer<String> progress;

  public SchedulerRoll(
      Groups groups,
      LaunchTemplates templates,
      Waiter waiter,
      Duration timeout,
      Consumer<String> progress) {
    this.groups = groups;
    this.templates = templates;
    this.waiter = waiter;
    this.timeout = timeout;
    this.progress = progress;
  }

  /** Rolls {@code group} (launched from {@code template}) onto {@code ami}. */
  public StepResult roll(String group, String template, String ami) throws InterruptedException {
    String version =
        templates.createVersion(
            template, templates.latestVersion(template), ami, "kiln release deploy " + ami);
    groups.useTemplateVersion(groups.describe(group), version);
    templates.makeDefault(template, version);
    int size = groups.describe(group).desiredCapacity();
    int replaced = 0;
    while (true) {
      List<String> old = onOtherImages(group, ami);
      if (old.isEmpty()) {
        break;
      }
      String next = old.get(0);
      progress.accept("scheduler " + next + " makes way for " + ami);
      groups.replace(next);
      replaced++;
      boolean settled =
          waiter.until(
              timeout,
              () -> {
                List<Instance> live = Groups.live(groups.describe(group));
                return live.stream().noneMatch(i -> i.instanceId().equals(next))
                    && live.size() >= size
                    && live.stream().allMatch(i -> i.lifecycleState() == LifecycleState.IN_SERVICE);
              });
      if (!settled) {
        return new StepResult(
            Outcome.TIMED_OUT,
            ami,
            null,
            null,
            "the replacement of scheduler " + next + " was not in service within " + timeout);
      }
    }
    return new StepResult(
        Outcome.SUCCEEDED,
        ami,
        null,
        null,
        "schedulers on " + ami + " (" + replaced + " replaced one at a time)");
  }

  private List<String> onOtherImages(String group, String ami) {
    List<String> running =
        Groups.live(groups.describe(group)).stream().map(Instance::instanceId).toList();
    Map<String, String> images = templates.imagesOf(running);
    return running.stream().filter(id -> !ami.equals(images.get(id))).sorted().toList();
  }
}
