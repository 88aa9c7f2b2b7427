package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/**
 * Blue/green releases of the web tier: deploy a new AMI to the idle color, wait until every target
 * is healthy, optionally send it a canary share, flip the listener, keep the old color warm for a
 * rollback window, then scale it to zero. Users see a change only at the flip. Not thread-safe: one
 * release at a time per estate.
 */
public final class BlueGreen {

  /**
   * @param ami the image to deploy
   * @param canaryPercent share of requests the new color gets before the flip; 0 for none
   * @param canaryDuration how long the canary share lasts before the new color must still be
   *     healthy
   * @param rollbackWindow how long the old color stays warm after the flip
   */
  public record Deploy(
      String ami, int canaryPercent, Duration canaryDuration, Duration rollbackWindow) {
    public Deploy {
      if (canaryPercent < 0 || canaryPercent > 99) {
        throw new IllegalArgumentException("canary weight must be 0..99: " + canaryPercent);
      }
    }
  }

  private record Health(boolean ok, String summary) {}

  private final Estate estate;
  private final Groups groups;
  private final LaunchTemplates templates;
  private final TrafficSwitch traffic;
  private final TargetHealthProbe probe;
  private final Waiter waiter;
  private final Duration healthTimeout;
  private final Consumer<String> progress;
  private final CanaryJudge judge;
  private final Duration judgeEvery;

  public BlueGreen(
      Estate estate,
      Groups groups,
      LaunchTemplates templates,
      TrafficSwitch traffic,
      TargetHealthProbe probe,
      Waiter waiter,
      Duration healthTimeout,
      Consumer<String> progress) {
    this(
        estate,
        groups,
        templates,
        traffic,
        probe,
        waiter,
        healthTimeout,
        progress,
        CanaryJudge.TARGET_HEALTH_ONLY,
        null);
  }

  /**
   * @param judge judges the new color beyond target health during the canary and the rollback
   *     window (ALB 5xx and latency from CloudWatch on AWS)
   * @param judgeEvery how often the new color is judged during the rollback window; {@code null}:
   *     once, at its end
   */
  public BlueGreen(
      Estate estate,
      Groups groups,
      LaunchTemplates templates,
      TrafficSwitch traffic,
      TargetHealthProbe probe,
      Waiter waiter,
      Duration healthTimeout,
      Consumer<String> progress,
      CanaryJudge judge,
      Duration judgeEvery) {
    this.judge = judge;
    this.judgeEvery = judgeEvery;
    this.estate = estate;
    this.groups = groups;
    this.templates = templates;
    this.traffic = traffic;
    this.probe = probe;
    this.waiter = waiter;
    this.healthTimeout = healthTimeout;
    this.progress = progress;
  }

  /** Deploys {@code plan.ami()} to the idle color and, if it is healthy, makes it live. */
  public StepResult deploy(Deploy plan) throws InterruptedException {
    Color live = traffic.live();
    Color idle = live.other();
    templates.requireRole(plan.ami(), "web");
    int size = Math.max(1, groups.describe(estate.webGroup(live)).desiredCapacity());
    AutoScalingGroup idleGroup = groups.describe(estate.webGroup(idle));
    String previous = Groups.template(idleGroup).version();
    // From the template's latest version, not the group's: a change Terraform made to the
    // template (user data, instance type) reaches the instances with this release.
    String version =
        templates.createVersion(
            estate.webTemplate(idle),
            templates.latestVersion(estate.webTemplate(idle)),
            plan.ami(),
            "kiln release deploy " + plan.ami());
    progress.accept(
        "live is "
            + live.label()
            + "; "
            + estate.webGroup(idle)
            + " gets launch template version "
            + version
            + " ("
            + plan.ami()
            + ") and "
            + size
            + " instances");

    if (!Groups.live(idleGroup).isEmpty()) {
      groups.pin(estate.webGroup(idle), 0);
      waiter.until(
          healthTimeout, () -> Groups.live(groups.describe(estate.webGroup(idle))).isEmpty());
    }
    groups.useTemplateVersion(groups.describe(estate.webGroup(idle)), version);
    templates.makeDefault(estate.webTemplate(idle), version);
    groups.pin(estate.webGroup(idle), size);
    if (!waitHealthy(idle, size, plan.ami())) {
      return abort(idle, previous, plan.ami(), live, "before the flip");
    }

    if (plan.canaryPercent() > 0) {
      progress.accept(
          "canary: "
              + plan.canaryPercent()
              + "% to "
              + idle.label()
              + " for "
              + plan.canaryDuration());
      traffic.route(idle, plan.canaryPercent());
      Instant canaryStart = waiter.clock().instant();
      waiter.sleep(plan.canaryDuration());
      if (!health(idle, size, plan.ami()).ok()) {
        traffic.route(live, 100);
        return abort(idle, previous, plan.ami(), live, "during the canary");
      }
      Optional<String> problem =
          judge.problem(idle, traffic.targetGroupArn(idle), canaryStart, waiter.clock().instant());
      if (problem.isPresent()) {
        traffic.route(live, 100);
        StepResult aborted = abort(idle, previous, plan.ami(), live, "during the canary");
        return new StepResult(
            aborted.outcome(),
            aborted.ami(),
            aborted.from(),
            aborted.to(),
            "canary refused: " + problem.get() + "; " + aborted.reason());
      }
    }

    traffic.route(idle, 100);
    Instant flipped = waiter.clock().instant();
    progress.accept(
        "flipped: "
            + idle.label()
            + " is live; "
            + live.label()
            + " stays warm for "
            + plan.rollbackWindow());
    Optional<String> alarm = watchWindow(idle, size, plan, flipped);
    if (alarm.isPresent()) {
      traffic.route(live, 100);
      groups.pin(estate.webGroup(idle), 0);
      progress.accept("rolled back automatically: " + alarm.get());
      return new StepResult(
          Outcome.ROLLED_BACK,
          plan.ami(),
          live,
          live,
          "rolled back automatically inside the rollback window: "
              + alarm.get()
              + "; "
              + live.label()
              + " is live again, "
              + idle.label()
              + " scaled to zero");
    }
    if (traffic.live() != idle) {
      return new StepResult(
          Outcome.ROLLED_BACK,
          plan.ami(),
          live,
          traffic.live(),
          "rolled back inside the rollback window; " + live.label() + " is live again");
    }
    groups.pin(estate.webGroup(live), 0);
    groups.wakeOnly(idle, estate.webGroup(idle), estate.webGroup(live), size);
    return new StepResult(
        Outcome.SUCCEEDED,
        plan.ami(),
        live,
        idle,
        idle.label() + " is live on " + plan.ami() + "; " + live.label() + " scaled to zero");
  }

  /**
   * Waits out the rollback window, judging the new live color every {@code judgeEvery} (or once at
   * the end): its targets' health, then the judge. Returns the first problem seen while it is still
   * live; empty if there was none or someone rolled back by hand.
   */
  private Optional<String> watchWindow(Color idle, int size, Deploy plan, Instant flipped)
      throws InterruptedException {
    Instant end = flipped.plus(plan.rollbackWindow());
    while (true) {
      Duration left = Duration.between(waiter.clock().instant(), end);
      if (left.isNegative() || left.isZero()) {
        return Optional.empty();
      }
      waiter.sleep(judgeEvery == null || judgeEvery.compareTo(left) > 0 ? left : judgeEvery);
      if (traffic.live() != idle) {
        return Optional.empty();
      }
      Health now = health(idle, size, plan.ami());
      Optional<String> problem =
          now.ok()
              ? judge.problem(idle, traffic.targetGroupArn(idle), flipped, waiter.clock().instant())
              : Optional.of("targets unhealthy (" + now.summary() + ")");
      if (problem.isPresent()) {
        return problem;
      }
    }
  }

  /** Makes the other color live again, scaling it up first if it was already scaled to zero. */
  public StepResult rollback() throws InterruptedException {
    Color live = traffic.live();
    Color target = live.other();
    int size = Math.max(1, groups.describe(estate.webGroup(live)).desiredCapacity());
    AutoScalingGroup targetGroup = groups.describe(estate.webGroup(target));
    String version = Groups.template(targetGroup).version();
    String ami = templates.imageOf(estate.webTemplate(target), version);
    int before = targetGroup.desiredCapacity();
    if (!health(target, size, ami).ok()) {
      progress.accept(
          "rollback: scaling " + estate.webGroup(target) + " to " + size + " on " + ami);
      groups.pin(estate.webGroup(target), Math.max(size, before));
      if (!waitHealthy(target, size, ami)) {
        groups.pin(estate.webGroup(target), before);
        return new StepResult(
            Outcome.ABORTED,
            ami,
            live,
            live,
            "rollback refused: "
                + target.label()
                + " is not healthy ("
                + health(target, size, ami).summary()
                + "); "
                + live.label()
                + " stays live");
      }
    }
    traffic.route(target, 100);
    groups.pin(estate.webGroup(live), 0);
    groups.wakeOnly(target, estate.webGroup(target), estate.webGroup(live), size);
    return new StepResult(
        Outcome.SUCCEEDED,
        ami,
        live,
        target,
        "rolled back: "
            + target.label()
            + " is live on "
            + ami
            + "; "
            + live.label()
            + " scaled to zero");
  }

  private boolean waitHealthy(Color color, int size, String ami) throws InterruptedException {
    boolean healthy = waiter.until(healthTimeout, () -> health(color, size, ami).ok());
    progress.accept(color.label() + ": " + health(color, size, ami).summary());
    return healthy;
  }

  private StepResult abort(Color idle, String previous, String ami, Color live, String when) {
    String summary = health(idle, 1, null).summary();
    groups.pin(estate.webGroup(idle), 0);
    groups.useTemplateVersion(groups.describe(estate.webGroup(idle)), previous);
    if (previous.chars().allMatch(Character::isDigit)) {
      templates.makeDefault(estate.webTemplate(idle), previous);
    }
    return new StepResult(
        Outcome.ABORTED,
        ami,
        live,
        live,
        idle.label()
            + " was not healthy "
            + when
            + " within "
            + healthTimeout
            + " ("
            + summary
            + "); "
            + live.label()
            + " stays live, "
            + idle.label()
            + " scaled to zero");
  }

  /**
   * Whether {@code size} instances of the color's group run {@code ami} (any image when null) and
   * every one of them is in service and healthy in the color's target group. Instances are told
   * apart by image, not by launch template version, which some APIs report loosely.
   */
  private Health health(Color color, int size, String ami) {
    AutoScalingGroup group = groups.describe(estate.webGroup(color));
    List<Instance> running = Groups.live(group);
    Map<String, String> images =
        templates.imagesOf(running.stream().map(Instance::instanceId).toList());
    List<Instance> instances = new ArrayList<>();
    for (Instance instance : running) {
      if (ami == null || ami.equals(images.get(instance.instanceId()))) {
        instances.add(instance);
      }
    }
    Map<String, String> states = probe.states(traffic.targetGroupArn(color));
    List<String> problems = new ArrayList<>();
    int healthy = 0;
    for (Instance instance : instances) {
      String state = states.getOrDefault(instance.instanceId(), "not registered");
      if (instance.lifecycleState() == LifecycleState.IN_SERVICE && state.equals("healthy")) {
        healthy++;
      } else {
        problems.add(instance.instanceId() + ": " + state);
      }
    }
    boolean ok = instances.size() >= size && healthy == instances.size();
    String summary =
        healthy
            + " of "
            + Math.max(size, instances.size())
            + " targets healthy"
            + (problems.isEmpty() ? "" : "; " + String.join(", ", problems));
    return new Health(ok, summary);
  }
}
