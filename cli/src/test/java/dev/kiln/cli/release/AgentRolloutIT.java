package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.release.Outcome;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Agent rollouts (GPU and CPU groups) against moto: old-AMI agents are replaced, never while they
 * hold a lease.
 */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class AgentRolloutIT {

  private final MotoServer moto;
  private MotoEstate fixture;
  private SettableClock clock;
  private final Set<String> leased = ConcurrentHashMap.newKeySet();
  private final List<String> violations = new ArrayList<>();
  private final AtomicInteger polls = new AtomicInteger();
  private Runnable everyPoll = () -> {};

  AgentRolloutIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void buildEstate() {
    fixture = MotoEstate.create(moto, 1, 3, 2);
    clock = new SettableClock(Instant.parse("2026-01-05T10:00:00Z"));
  }

  private AgentRollout rollout(Duration drainTimeout) {
    return rollout(Role.gpu, drainTimeout);
  }

  private AgentRollout rollout(Role role, Duration drainTimeout) {
    Sleeper sleeper =
        duration -> {
          clock.advance(duration);
          polls.incrementAndGet();
          for (String instanceId : leased) {
            if (fixture.state(instanceId) != InstanceStateName.RUNNING) {
              violations.add(instanceId + " was " + fixture.state(instanceId) + " while leased");
            }
          }
          everyPoll.run();
        };
    return new AgentRollout(
        fixture.estate,
        role,
        fixture.clients.ec2(),
        fixture.groups(),
        new LaunchTemplates(fixture.clients.ec2()),
        leased::contains,
        new Waiter(clock, sleeper, Duration.ofSeconds(30)),
        drainTimeout,
        line -> {});
  }

  @Test
  void replacesIdleAgentsAtOnceAndBusyOnesWhenTheirLeaseEnds() throws InterruptedException {
    String gpu = fixture.estate.gpuGroup();
    List<String> before = fixture.instanceIds(gpu);
    assertThat(before).hasSize(3);
    String busy = before.get(0);
    leased.add(busy);
    everyPoll =
        () -> {
          if (polls.get() == 3) {
            leased.remove(busy);
          }
        };
    String v2 = fixture.bake("2.0", "gpu");

    StepResult result = rollout(Duration.ofHours(1)).roll(v2);

    assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(violations).isEmpty();
    assertThat(polls.get()).as("the busy agent was waited for").isGreaterThanOrEqualTo(3);
    List<String> after = fixture.instanceIds(gpu);
    assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
    assertThat(fixture.imagesOf(gpu)).containsOnly(v2);
    assertThat(fixture.state(busy))
        .isIn(InstanceStateName.TERMINATED, InstanceStateName.SHUTTING_DOWN);
    assertThat(fixture.groups().describe(gpu).desiredCapacity())
        .as("the autoscaler's desired capacity is left alone")
        .isEqualTo(3);
  }

  @Test
  void leavesAnAgentThatHoldsItsLeasePastTheTimeoutRunningAndProtected()
      throws InterruptedException {
    String gpu = fixture.estate.gpuGroup();
    List<String> before = fixture.instanceIds(gpu);
    String busy = before.get(1);
    leased.add(busy);
    String v2 = fixture.bake("2.1", "gpu");

    StepResult result = rollout(Duration.ofMinutes(20)).roll(v2);

    assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(result.reason()).contains(busy);
    assertThat(violations).isEmpty();
    assertThat(fixture.state(busy)).isEqualTo(InstanceStateName.RUNNING);
    Instance stillThere =
        fixture.groups().describe(gpu).instances().stream()
            .filter(instance -> instance.instanceId().equals(busy))
            .findFirst()
            .orElseThrow();
    assertThat(stillThere.protectedFromScaleIn()).isTrue();
    assertThat(
            fixture
                .clients
                .ec2()
                .describeTags(d -> d.filters(f -> f.name("resource-id").values(busy)))
                .tags())
        .anySatisfy(
            tag -> {
              assertThat(tag.key()).isEqualTo(AgentRollout.DRAIN_TAG);
              assertThat(tag.value()).isEqualTo("true");
            });
    assertThat(fixture.imagesOf(gpu)).hasSize(3).containsOnlyOnce(fixture.baseAmi);
  }

  @Test
  void agentsThatHoldALeaseAreNeverTerminatedEvenWhenAllAreBusy() throws InterruptedException {
    String gpu = fixture.estate.gpuGroup();
    leased.addAll(fixture.instanceIds(gpu));
    String v2 = fixture.bake("2.2", "gpu");

    StepResult result = rollout(Duration.ofMinutes(5)).roll(v2);

    assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(violations).isEmpty();
    assertThat(fixture.imagesOf(gpu)).hasSize(3).containsOnly(fixture.baseAmi);
    assertThat(Groups.template(fixture.groups().describe(gpu)).version())
        .as("new agents launch from the new version")
        .isEqualTo("2");
  }

  @Test
  void rollsTheCpuGroupOntoItsOwnImageAndLeavesTheGpuGroupAlone() throws InterruptedException {
    String cpu = fixture.estate.agentGroup(Role.cpu);
    String gpu = fixture.estate.gpuGroup();
    List<String> before = fixture.instanceIds(cpu);
    assertThat(before).hasSize(2);
    List<String> gpuBefore = fixture.instanceIds(gpu);
    String v2 = fixture.bake("2.3", "cpu");

    StepResult result = rollout(Role.cpu, Duration.ofMinutes(10)).roll(v2);

    assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(fixture.instanceIds(cpu)).hasSize(2).doesNotContainAnyElementsOf(before);
    assertThat(fixture.imagesOf(cpu)).containsOnly(v2);
    assertThat(Groups.template(fixture.groups().describe(cpu)).version()).isEqualTo("2");
    assertThat(fixture.instanceIds(gpu)).as("the GPU agents keep running").isEqualTo(gpuBefore);
    assertThat(Groups.template(fixture.groups().describe(gpu)).version()).isEqualTo("1");
  }

  @Test
  void refusesAnX86ImageOnTheGravitonCpuGroupSayingWhatToBakeAndChangesNothing() {
    String cpu = fixture.estate.agentGroup(Role.cpu);
    List<String> before = fixture.instanceIds(cpu);
    String x86 = fixture.bake("2.5", "cpu", "x86_64");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> rollout(Role.cpu, Duration.ofMinutes(10)).roll(x86))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            x86
                + " is an x86_64 image, but "
                + cpu
                + " launches c7g.large, c6g.large (arm64): deploy an image baked for arm64"
                + " (kiln release bake --role cpu --arch arm64)");

    assertThat(fixture.instanceIds(cpu)).isEqualTo(before);
    assertThat(Groups.template(fixture.groups().describe(cpu)).version())
        .as("no launch template version was made")
        .isEqualTo("1");
    assertThat(new LaunchTemplates(fixture.clients.ec2()).latestVersion(cpu)).isEqualTo("1");
  }

  @Test
  void readsTheArchitecturesOfImagesAndInstanceTypesFromEc2() {
    Architectures architectures = new Architectures(fixture.clients.ec2());

    assertThat(architectures.of(fixture.bake("2.6", "cpu"))).isEqualTo("arm64");
    assertThat(architectures.of(fixture.bake("2.6", "gpu"))).isEqualTo("x86_64");
    assertThat(architectures.supportedBy(List.of("t4g.large", "c6a.large")))
        .containsEntry("t4g.large", Set.of("arm64"))
        .containsEntry("c6a.large", Set.of("x86_64"));
    assertThat(
            Architectures.instanceTypes(
                fixture.groups().describe(fixture.estate.agentGroup(Role.cpu)),
                java.util.Optional.of("m7g.large")))
        .as("the overrides, not the template's default type")
        .containsExactly("c7g.large", "c6g.large");
  }

  @Test
  void refusesToRollTheCpuGroupOntoAGpuImage() {
    String gpuImage = fixture.bake("2.4", "gpu");
    List<String> before = fixture.instanceIds(fixture.estate.agentGroup(Role.cpu));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> rollout(Role.cpu, Duration.ofMinutes(10)).roll(gpuImage))
        .hasMessageContaining("cpu");

    assertThat(fixture.instanceIds(fixture.estate.agentGroup(Role.cpu))).isEqualTo(before);
  }
}
