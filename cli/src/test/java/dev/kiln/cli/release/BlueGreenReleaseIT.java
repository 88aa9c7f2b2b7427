package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.release.Outcome;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Filter;

/** A whole web release against moto: two colors, a refused deploy, a flip, rollbacks. */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class BlueGreenReleaseIT {

  private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final MotoServer moto;
  private MotoEstate fixture;
  private SettableClock clock;
  private final List<Consumer<Duration>> onSleep = new ArrayList<>();
  private final Set<String> brokenAmis = new HashSet<>();
  private final List<String> progress = new ArrayList<>();

  BlueGreenReleaseIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void buildEstate() {
    fixture = MotoEstate.create(moto, 2, 0);
    clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
  }

  private BlueGreen blueGreen() {
    return blueGreen(CanaryJudge.TARGET_HEALTH_ONLY, null);
  }

  private BlueGreen blueGreen(CanaryJudge judge, Duration judgeEvery) {
    Sleeper sleeper =
        duration -> {
          clock.advance(duration);
          onSleep.forEach(hook -> hook.accept(duration));
        };
    return new BlueGreen(
        fixture.estate,
        fixture.groups(),
        new LaunchTemplates(fixture.clients.ec2()),
        fixture.traffic(),
        new CrashingAmiProbe(new ElbTargetHealthProbe(fixture.clients.elb())),
        new Waiter(clock, sleeper, Duration.ofSeconds(10)),
        HEALTH_TIMEOUT,
        progress::add,
        judge,
        judgeEvery);
  }

  @Test
  void playsAWholeRelease() throws InterruptedException {
    Estate estate = fixture.estate;
    String v1 = fixture.baseAmi;
    List<String> blueInstances = fixture.instanceIds(estate.webGroup(Color.BLUE));
    assertThat(blueInstances).hasSize(2);
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);

    // A broken AMI: its instances never pass health checks, so users never see it.
    String broken = fixture.bake("1.1-broken");
    brokenAmis.add(broken);
    List<Map<Color, Integer>> weightsWhileWaiting = new ArrayList<>();
    onSleep.add(duration -> weightsWhileWaiting.add(fixture.traffic().weights()));
    Instant start = clock.instant();
    StepResult refused = blueGreen().deploy(new BlueGreen.Deploy(broken, 0, Duration.ZERO, WINDOW));

    assertThat(refused.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(refused.reason()).contains("not healthy", "Target.InvalidState");
    assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(HEALTH_TIMEOUT);
    assertThat(weightsWhileWaiting)
        .isNotEmpty()
        .allSatisfy(
            weights ->
                assertThat(weights).containsEntry(Color.BLUE, 100).containsEntry(Color.GREEN, 0));
    assertThat(fixture.traffic().weights()).containsEntry(Color.BLUE, 100);
    assertThat(fixture.instanceIds(estate.webGroup(Color.BLUE))).isEqualTo(blueInstances);
    assertThat(fixture.instanceIds(estate.webGroup(Color.GREEN))).isEmpty();
    assertThat(Groups.template(fixture.groups().describe(estate.webGroup(Color.GREEN))).version())
        .as("the idle color points at its previous template version again")
        .isEqualTo("1");
    onSleep.clear();

    // A good AMI: green comes up healthy, takes the traffic, blue stays warm, then goes to zero.
    String v2 = fixture.bake("1.1");
    List<Color> liveDuringWindow = new ArrayList<>();
    List<Integer> blueSizeDuringWindow = new ArrayList<>();
    onSleep.add(
        duration -> {
          if (duration.equals(WINDOW)) {
            liveDuringWindow.add(fixture.traffic().live());
            blueSizeDuringWindow.add(fixture.instanceIds(estate.webGroup(Color.BLUE)).size());
          }
        });
    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).as(deployed.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(deployed.from()).isEqualTo(Color.BLUE);
    assertThat(deployed.to()).isEqualTo(Color.GREEN);
    assertThat(liveDuringWindow).containsExactly(Color.GREEN);
    assertThat(blueSizeDuringWindow).containsExactly(2);
    assertThat(fixture.traffic().weights())
        .containsEntry(Color.GREEN, 100)
        .containsEntry(Color.BLUE, 0);
    assertThat(fixture.imagesOf(estate.webGroup(Color.GREEN))).hasSize(2).containsOnly(v2);
    assertThat(fixture.instanceIds(estate.webGroup(Color.BLUE))).isEmpty();
    onSleep.clear();

    // Rollback after the window: blue is scaled back up on the old AMI, then takes the traffic.
    StepResult rolledBack = blueGreen().rollback();

    assertThat(rolledBack.outcome()).as(rolledBack.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rolledBack.to()).isEqualTo(Color.BLUE);
    assertThat(rolledBack.ami()).isEqualTo(v1);
    assertThat(fixture.traffic().weights())
        .containsEntry(Color.BLUE, 100)
        .containsEntry(Color.GREEN, 0);
    assertThat(fixture.imagesOf(estate.webGroup(Color.BLUE))).hasSize(2).containsOnly(v1);
    assertThat(fixture.instanceIds(estate.webGroup(Color.GREEN))).isEmpty();
  }

  @Test
  void refusesAGpuImageBeforeTouchingAnything() {
    String gpu = fixture.bake("1.4", "gpu");
    String greenVersion =
        Groups.template(fixture.groups().describe(fixture.estate.webGroup(Color.GREEN))).version();

    assertThatThrownBy(
            () -> blueGreen().deploy(new BlueGreen.Deploy(gpu, 0, Duration.ZERO, WINDOW)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a gpu image, not a web image");

    assertThat(fixture.traffic().weights()).containsEntry(Color.BLUE, 100);
    assertThat(
            Groups.template(fixture.groups().describe(fixture.estate.webGroup(Color.GREEN)))
                .version())
        .isEqualTo(greenVersion);
    assertThat(fixture.instanceIds(fixture.estate.webGroup(Color.GREEN))).isEmpty();
  }

  @Test
  void rollbackInsideTheWindowKeepsTheOldColorServing() throws InterruptedException {
    Estate estate = fixture.estate;
    List<String> blueInstances = fixture.instanceIds(estate.webGroup(Color.BLUE));
    String v2 = fixture.bake("1.2");
    List<StepResult> rollbacks = new ArrayList<>();
    onSleep.add(
        duration -> {
          if (duration.equals(WINDOW)) {
            try {
              rollbacks.add(blueGreen().rollback());
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        });

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(rollbacks)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED));
    assertThat(deployed.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);
    assertThat(fixture.instanceIds(estate.webGroup(Color.BLUE)))
        .as("the warm color served the rollback without new instances")
        .isEqualTo(blueInstances);
    assertThat(fixture.instanceIds(estate.webGroup(Color.GREEN))).isEmpty();
  }

  @Test
  void canarySendsAShareToTheNewColorOnEveryForwardAction() throws InterruptedException {
    String v2 = fixture.bake("1.3");
    Duration canary = Duration.ofMinutes(3);
    List<Map<Color, Integer>> duringCanary = new ArrayList<>();
    onSleep.add(
        duration -> {
          if (duration.equals(canary)) {
            duringCanary.add(fixture.traffic().weights());
            duringCanary.addAll(ruleWeights());
          }
        });

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 10, canary, Duration.ZERO));

    assertThat(deployed.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(duringCanary)
        .hasSize(2)
        .allSatisfy(
            weights ->
                assertThat(weights).containsEntry(Color.GREEN, 10).containsEntry(Color.BLUE, 90));
    assertThat(ruleWeights())
        .singleElement()
        .satisfies(weights -> assertThat(weights).containsEntry(Color.GREEN, 100));
    assertThat(previewTargets())
        .as("the X-Kiln-Color preview rule keeps pointing at its own color")
        .containsExactly(fixture.traffic().targetGroupArn(Color.GREEN));
  }

  @Test
  void theNewColorFailingInsideTheWindowIsRolledBackAutomatically() throws InterruptedException {
    List<String> blueInstances = fixture.instanceIds(fixture.estate.webGroup(Color.BLUE));
    String v2 = fixture.bake("1.6");
    Instant crashAt = clock.instant().plus(HEALTH_TIMEOUT).plus(Duration.ofMinutes(4));
    onSleep.add(
        duration -> {
          if (!clock.instant().isBefore(crashAt) && fixture.traffic().live() == Color.GREEN) {
            brokenAmis.add(v2);
          }
        });

    StepResult deployed =
        blueGreen(CanaryJudge.TARGET_HEALTH_ONLY, Duration.ofMinutes(1))
            .deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(deployed.reason()).contains("rolled back automatically", "targets unhealthy");
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);
    assertThat(fixture.instanceIds(fixture.estate.webGroup(Color.BLUE))).isEqualTo(blueInstances);
    assertThat(fixture.instanceIds(fixture.estate.webGroup(Color.GREEN))).isEmpty();
  }

  @Test
  void aJudgeSeeingErrorsRefusesTheCanaryAndRollsBackInsideTheWindow() throws InterruptedException {
    CanaryJudge errors =
        (color, targetGroupArn, since, until) -> {
          assertThat(targetGroupArn).isEqualTo(fixture.traffic().targetGroupArn(color));
          assertThat(until).isAfter(since);
          return Optional.of(color.label() + " answered 30 of 100 requests with 5xx");
        };

    StepResult canary =
        blueGreen(errors, Duration.ofMinutes(1))
            .deploy(new BlueGreen.Deploy(fixture.bake("1.7"), 10, Duration.ofMinutes(3), WINDOW));

    assertThat(canary.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(canary.reason()).startsWith("canary refused: green answered 30 of 100");
    assertThat(fixture.traffic().weights()).containsEntry(Color.BLUE, 100);

    StepResult flipped =
        blueGreen(errors, Duration.ofMinutes(1))
            .deploy(new BlueGreen.Deploy(fixture.bake("1.8"), 0, Duration.ZERO, WINDOW));

    assertThat(flipped.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(flipped.reason()).contains("answered 30 of 100 requests with 5xx");
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);
  }

  @Test
  void officeHoursWakeTheColorThatIsLiveAfterTheFlip() throws InterruptedException {
    var autoScaling = fixture.clients.autoScaling();
    for (Color color : Color.values()) {
      int size = color == Color.BLUE ? 2 : 0;
      autoScaling.putScheduledUpdateGroupAction(
          put ->
              put.autoScalingGroupName(fixture.estate.webGroup(color))
                  .scheduledActionName(Groups.wakeAction(color))
                  .recurrence("0 7 * * 1-5")
                  .minSize(size)
                  .desiredCapacity(size));
    }

    StepResult deployed =
        blueGreen()
            .deploy(new BlueGreen.Deploy(fixture.bake("1.5"), 0, Duration.ZERO, Duration.ZERO));

    assertThat(deployed.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(wakeSize(Color.GREEN)).isEqualTo(2);
    assertThat(wakeSize(Color.BLUE)).isZero();
    assertThat(blueGreen().rollback().outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(wakeSize(Color.BLUE)).isEqualTo(2);
    assertThat(wakeSize(Color.GREEN)).isZero();
  }

  private int wakeSize(Color color) {
    return fixture
        .clients
        .autoScaling()
        .describeScheduledActions(
            d ->
                d.autoScalingGroupName(fixture.estate.webGroup(color))
                    .scheduledActionNames(Groups.wakeAction(color)))
        .scheduledUpdateGroupActions()
        .get(0)
        .desiredCapacity();
  }

  /** Target groups of single-color forward rules (the preview rules). */
  private List<String> previewTargets() {
    return fixture
        .clients
        .elb()
        .describeRules(d -> d.listenerArn(fixture.listenerArn))
        .rules()
        .stream()
        .filter(rule -> !rule.isDefault())
        .flatMap(rule -> rule.actions().stream())
        .filter(
            action ->
                action.forwardConfig() == null || action.forwardConfig().targetGroups().size() == 1)
        .map(
            action ->
                action.targetGroupArn() != null
                    ? action.targetGroupArn()
                    : action.forwardConfig().targetGroups().get(0).targetGroupArn())
        .toList();
  }

  /** The weights of the {@code /api/*} path rule. */
  private List<Map<Color, Integer>> ruleWeights() {
    var elb = fixture.clients.elb();
    String loadBalancer =
        elb.describeLoadBalancers(d -> d.names(fixture.estate.loadBalancer()))
            .loadBalancers()
            .get(0)
            .loadBalancerArn();
    String listener =
        elb.describeListeners(d -> d.loadBalancerArn(loadBalancer))
            .listeners()
            .get(0)
            .listenerArn();
    TrafficSwitch traffic = fixture.traffic();
    List<Map<Color, Integer>> result = new ArrayList<>();
    for (var rule : elb.describeRules(d -> d.listenerArn(listener)).rules()) {
      var forward = rule.actions().get(0).forwardConfig();
      if (!rule.isDefault() && forward != null && forward.targetGroups().size() == 2) {
        Map<Color, Integer> weights = new java.util.EnumMap<>(Color.class);
        for (var tuple : rule.actions().get(0).forwardConfig().targetGroups()) {
          for (Color color : Color.values()) {
            if (traffic.targetGroupArn(color).equals(tuple.targetGroupArn())) {
              weights.put(color, tuple.weight());
            }
          }
        }
        result.add(weights);
      }
    }
    return result;
  }

  /**
   * moto runs no health checks, so an AMI whose service never starts is played by stopping its
   * instances: moto's own DescribeTargetHealth then answers {@code unused (Target.InvalidState)}
   * for them, as ELBv2 does for a stopped target.
   */
  private final class CrashingAmiProbe implements TargetHealthProbe {
    private final TargetHealthProbe delegate;

    CrashingAmiProbe(TargetHealthProbe delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, String> states(String targetGroupArn) {
      if (!brokenAmis.isEmpty()) {
        List<String> crashed =
            fixture
                .clients
                .ec2()
                .describeInstances(
                    d ->
                        d.filters(
                            Filter.builder().name("image-id").values(brokenAmis).build(),
                            Filter.builder().name("instance-state-name").values("running").build()))
                .reservations()
                .stream()
                .flatMap(r -> r.instances().stream())
                .map(software.amazon.awssdk.services.ec2.model.Instance::instanceId)
                .toList();
        if (!crashed.isEmpty()) {
          fixture.clients.ec2().stopInstances(stop -> stop.instanceIds(crashed));
        }
      }
      return delegate.states(targetGroupArn);
    }
  }
}
