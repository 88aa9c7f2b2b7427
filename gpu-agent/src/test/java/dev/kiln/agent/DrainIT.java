package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.agent.drain.AutoScalingTerminationHook;
import dev.kiln.agent.drain.DrainCoordinator;
import dev.kiln.agent.drain.DrainSignal;
import dev.kiln.agent.drain.DrainSignals;
import dev.kiln.agent.drain.TerminationHook;
import dev.kiln.protocol.InstanceTags;
import dev.kiln.testkit.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * How an agent learns it must drain and how it ends: instance metadata from a fake of EC2's IMDSv2,
 * the Auto Scaling group in moto_server (CompleteLifecycleAction, which moto lacks, answered by
 * {@link AutoScalingFront}).
 */
@Timeout(120)
class DrainIT {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(90);

  private static MotoServer moto;
  private static AutoScalingFront front;
  private static AutoScalingClient autoScaling;
  private static Ec2Client ec2;

  private FakeInstanceMetadata imds;
  private DrainSignals signals;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAws() throws Exception {
    moto = MotoServer.shared();
    front = new AutoScalingFront(moto.endpoint());
    var credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
    autoScaling =
        AutoScalingClient.builder()
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(credentials)
            .endpointOverride(front.endpoint())
            .build();
    ec2 =
        Ec2Client.builder()
            .region(Region.of(MotoServer.REGION))
            .credentialsProvider(credentials)
            .endpointOverride(moto.endpoint())
            .build();
  }

  @AfterAll
  static void stopAws() {
    autoScaling.close();
    ec2.close();
    front.close();
  }

  @BeforeEach
  void startMetadata() throws Exception {
    imds = new FakeInstanceMetadata();
    signals =
        new DrainSignals(
            new InstanceMetadata(imds.endpoint(), Duration.ofSeconds(2)),
            GRACE,
            Duration.ofMillis(50),
            Clock.fixed(NOW, ZoneOffset.UTC));
    front.actions.clear();
    front.completions.clear();
  }

  @AfterEach
  void stopMetadata() {
    signals.close();
    imds.close();
  }

  @Test
  void readsEverySourceAndTheMostUrgentWins() throws Exception {
    assertThat(signals.check()).isEmpty();
    imds.set("autoscaling/target-lifecycle-state", "InService");
    imds.set("tags/instance/kiln:drain", "false");
    assertThat(signals.check()).isEmpty();

    imds.set("events/recommendations/rebalance", "{\"noticeTime\":\"" + NOW + "\"}");
    assertThat(signals.check().orElseThrow().kind())
        .isEqualTo(DrainSignal.Kind.REBALANCE_RECOMMENDATION);
    imds.set("tags/instance/" + InstanceTags.DRAIN, "true");
    DrainSignal tag = signals.check().orElseThrow();
    assertThat(tag.kind()).isEqualTo(DrainSignal.Kind.DRAIN_TAG);
    assertThat(tag.reason()).contains(InstanceTags.DRAIN).contains("true");
    assertThat(tag.grace()).isEqualTo(GRACE);
    imds.set("autoscaling/target-lifecycle-state", "Terminated");
    assertThat(signals.check().orElseThrow().kind())
        .isEqualTo(DrainSignal.Kind.LIFECYCLE_TERMINATING);
    imds.set(
        "spot/instance-action",
        "{\"action\":\"terminate\",\"time\":\"" + NOW.plusSeconds(120) + "\"}");
    DrainSignal spot = signals.check().orElseThrow();
    assertThat(spot.kind()).isEqualTo(DrainSignal.Kind.SPOT_INTERRUPTION);
    assertThat(spot.grace()).isEqualTo(Duration.ofSeconds(105));
  }

  @Test
  void shouldDrainTurnsOnWithTheFirstSignalAndCallsBackOnce() throws Exception {
    List<DrainSignal> seen = new CopyOnWriteArrayList<>();
    signals.watch(seen::add);
    Thread.sleep(200);
    assertThat(signals.shouldDrain()).isFalse();
    imds.set("tags/instance/" + InstanceTags.DRAIN, "true");
    await().atMost(Duration.ofSeconds(5)).until(signals::shouldDrain);
    imds.set("events/recommendations/rebalance", "{}");
    Thread.sleep(200);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).kind()).isEqualTo(DrainSignal.Kind.DRAIN_TAG);
    assertThat(signals.signal()).contains(seen.get(0));
  }

  @Test
  void aRebalanceNoticeDrainsEndsTheInstanceThroughItsGroupThenCompletesTheHook() throws Exception {
    String group = group();
    String instance = onlyInstance(group);
    TerminationHook hook = recording(new AutoScalingTerminationHook(autoScaling, group, "drain"));
    imds.set("events/recommendations/rebalance", "{\"noticeTime\":\"" + NOW + "\"}");
    DrainSignal signal = signals.check().orElseThrow();

    CompletableFuture<Boolean> handled =
        CompletableFuture.supplyAsync(
            () -> coordinator(hook, instance, Duration.ofSeconds(60)).handle(signal));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !inService(group).contains(instance) && inService(group).size() == 1);
    assertThat(handled).isNotDone();
    imds.set("autoscaling/target-lifecycle-state", "Terminated");
    assertThat(handled.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(events)
        .containsExactly(
            "drain EC2 rebalance recommendation PT1M30S",
            "terminate " + instance,
            "complete " + instance);
    assertThat(front.completions).hasSize(1);
    Map<String, String> completion = front.completions.get(0);
    assertThat(completion)
        .containsEntry("AutoScalingGroupName", group)
        .containsEntry("LifecycleHookName", "drain")
        .containsEntry("InstanceId", instance)
        .containsEntry("LifecycleActionResult", "CONTINUE");
    assertThat(front.actions).containsSubsequence("TerminateInstanceInAutoScalingGroup");
  }

  @Test
  void aTerminatingLifecycleHookIsCompletedWithoutEndingTheInstanceAgain() throws Exception {
    String group = group();
    String instance = onlyInstance(group);
    TerminationHook hook = recording(new AutoScalingTerminationHook(autoScaling, group, "drain"));
    imds.set("autoscaling/target-lifecycle-state", "Terminated");

    assertThat(
            coordinator(hook, instance, Duration.ofSeconds(5))
                .handle(signals.check().orElseThrow()))
        .isTrue();

    assertThat(events)
        .containsExactly(
            "drain Auto Scaling termination lifecycle hook PT1M30S", "complete " + instance);
    assertThat(front.actions).doesNotContain("TerminateInstanceInAutoScalingGroup");
    assertThat(inService(group)).containsExactly(instance);
  }

  @Test
  void aGroupThatNeverTerminatesTheInstanceLeavesTheHookAloneAfterTheWait() throws Exception {
    String group = group();
    String instance = onlyInstance(group);
    TerminationHook hook =
        recording(
            new TerminationHook() {
              @Override
              public void terminate(String instanceId) {
                throw new IllegalStateException("AccessDenied");
              }

              @Override
              public void complete(String instanceId) {
                throw new AssertionError("nothing to complete");
              }
            });
    imds.set("tags/instance/" + InstanceTags.DRAIN, "true");

    assertThat(
            coordinator(hook, instance, Duration.ofSeconds(1))
                .handle(signals.check().orElseThrow()))
        .isFalse();

    assertThat(events)
        .containsExactly("drain kiln:drain tag (true) PT1M30S", "terminate " + instance);
    assertThat(inService(group)).containsExactly(instance);
  }

  @Test
  void offAnAutoScalingGroupTheAgentOnlyDrains() throws Exception {
    imds.set("events/recommendations/rebalance", "{}");
    DrainCoordinator coordinator =
        new DrainCoordinator(
            signals,
            (reason, grace) -> events.add("drain " + reason),
            Optional.empty(),
            "i-local",
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            Duration.ofMillis(20));
    assertThat(coordinator.handle(signals.check().orElseThrow())).isFalse();
    assertThat(events).containsExactly("drain EC2 rebalance recommendation");
  }

  private DrainCoordinator coordinator(TerminationHook hook, String instance, Duration wait) {
    return new DrainCoordinator(
        signals,
        (reason, grace) -> events.add("drain " + reason + " " + grace),
        Optional.of(hook),
        instance,
        Clock.systemUTC(),
        wait,
        Duration.ofMillis(20));
  }

  private TerminationHook recording(TerminationHook hook) {
    return new TerminationHook() {
      @Override
      public void terminate(String instanceId) {
        events.add("terminate " + instanceId);
        hook.terminate(instanceId);
      }

      @Override
      public void complete(String instanceId) {
        events.add("complete " + instanceId);
        hook.complete(instanceId);
      }
    };
  }

  /** A GPU-like group of one instance in moto, with the termination hook Terraform declares. */
  private static String group() {
    String name = "kiln-drain-" + UUID.randomUUID().toString().substring(0, 8);
    String ami = ec2.describeImages(d -> d.owners("amazon")).images().get(0).imageId();
    String vpc = ec2.createVpc(c -> c.cidrBlock("10.9.0.0/16")).vpc().vpcId();
    String subnet =
        ec2.createSubnet(c -> c.vpcId(vpc).cidrBlock("10.9.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    ec2.createLaunchTemplate(
        c ->
            c.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId(ami).instanceType("g4dn.xlarge")));
    autoScaling.createAutoScalingGroup(
        c ->
            c.autoScalingGroupName(name)
                .launchTemplate(lt -> lt.launchTemplateName(name).version("1"))
                .minSize(0)
                .maxSize(2)
                .desiredCapacity(1)
                .vpcZoneIdentifier(subnet));
    autoScaling.putLifecycleHook(
        c ->
            c.autoScalingGroupName(name)
                .lifecycleHookName("drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING")
                .heartbeatTimeout(600)
                .defaultResult("CONTINUE"));
    return name;
  }

  private static String onlyInstance(String group) {
    List<String> instances = inService(group);
    assertThat(instances).hasSize(1);
    return instances.get(0);
  }

  private static List<String> inService(String group) {
    return autoScaling
        .describeAutoScalingGroups(d -> d.autoScalingGroupNames(group))
        .autoScalingGroups()
        .get(0)
        .instances()
        .stream()
        .filter(instance -> instance.lifecycleState() == LifecycleState.IN_SERVICE)
        .map(Instance::instanceId)
        .toList();
  }
}
