package dev.kiln.scheduler.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.fleet.AgentState;
import dev.kiln.protocol.RedisKeys;
import dev.kiln.protocol.redis.RedisClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.TestStack;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The Auto Scaling fleet against moto_server (a launch template and a group per test) and the agent
 * registry in a real Redis: it resizes within the group's bounds and scales in idle agents only.
 */
@ExtendWith({MotoServerExtension.class, KilnStackExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsAutoScalingFleetIT {
  private final MotoServer moto;
  private RedissonClient redisson;
  private AutoScalingClient autoScaling;
  private Ec2Client ec2;
  private String group;
  private AwsAutoScalingFleet fleet;

  AwsAutoScalingFleetIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeAll
  void connect(TestStack stack) {
    redisson = RedisClients.create(stack.redisUri(), 4);
    AwsFleetFactory factory = new AwsFleetFactory();
    factory.setGroupName("unused");
    factory.setRegion(MotoServer.REGION);
    factory.setEndpoint(moto.endpoint());
    factory.setAccessKey(MotoServer.ACCESS_KEY);
    factory.setSecretKey(MotoServer.SECRET_KEY);
    factory.setRetries(false);
    autoScaling = factory.client();
    ec2 =
        Ec2Client.builder()
            .region(Region.of(MotoServer.REGION))
            .endpointOverride(URI.create(moto.endpoint().toString()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterAll
  void disconnect() {
    autoScaling.close();
    ec2.close();
    redisson.shutdown();
  }

  @BeforeEach
  void aGroupOfOneToFourAgents() {
    redisson.getKeys().deleteByPattern(RedisKeys.AGENT_PREFIX + "*");
    group = "kiln-agents-" + UUID.randomUUID().toString().substring(0, 8);
    String image = ec2.describeImages(d -> d.owners("amazon")).images().get(0).imageId();
    ec2.createLaunchTemplate(
        create ->
            create
                .launchTemplateName(group)
                .launchTemplateData(data -> data.imageId(image).instanceType("g4dn.xlarge")));
    autoScaling.createAutoScalingGroup(
        create ->
            create
                .autoScalingGroupName(group)
                .launchTemplate(lt -> lt.launchTemplateName(group).version("1"))
                .availabilityZones("us-east-1a")
                .minSize(1)
                .maxSize(4)
                .desiredCapacity(1));
    fleet =
        new AwsAutoScalingFleet(autoScaling, group, new AgentDirectory(redisson)::leasesByInstance);
  }

  @Test
  void resizesUpAndDownWithinTheGroupsBounds() {
    assertThat(fleet.size()).isEqualTo(1);
    assertThat(fleet.describe()).isEqualTo("Auto Scaling group " + group);

    fleet.resize(3);
    assertThat(fleet.size()).isEqualTo(3);
    assertThat(instances()).hasSize(3);

    fleet.resize(10);
    assertThat(fleet.size()).as("never above the group's maximum").isEqualTo(4);
    assertThat(instances()).hasSize(4);

    fleet.resize(0);
    assertThat(fleet.size()).as("never below the group's minimum").isEqualTo(1);
    assertThat(instances()).hasSize(1);
  }

  @Test
  void scaleInKeepsTheBusyAgentAndRemovesIdleOnes() {
    fleet.resize(4);
    List<String> ids = instances().stream().map(Instance::instanceId).sorted().toList();
    String busy = ids.get(2);
    agent("agent-busy", busy, 2);
    agent("agent-idle", ids.get(0), 0);

    fleet.refresh();
    assertThat(protectedIds()).containsExactly(busy);

    fleet.resize(1);
    assertThat(fleet.size()).isEqualTo(1);
    assertThat(instances()).extracting(Instance::instanceId).containsExactly(busy);
  }

  @Test
  void anAgentThatFinishesLosesItsProtection() {
    fleet.resize(2);
    List<String> ids = instances().stream().map(Instance::instanceId).sorted().toList();
    agent("agent-a", ids.get(0), 1);
    agent("agent-b", ids.get(1), 1);
    fleet.refresh();
    assertThat(protectedIds()).containsExactlyInAnyOrderElementsOf(ids);

    agent("agent-a", ids.get(0), 0);
    fleet.refresh();
    assertThat(protectedIds()).containsExactly(ids.get(1));

    fleet.resize(1);
    assertThat(instances()).extracting(Instance::instanceId).containsExactly(ids.get(1));
  }

  /** Writes an agent's status hash the way the agent does on each heartbeat. */
  private void agent(String agentId, String instanceId, int leases) {
    redisson
        .<String, String>getMap(RedisKeys.agent(agentId), StringCodec.INSTANCE)
        .putAll(
            Map.of(
                "agentId",
                agentId,
                "instanceId",
                instanceId,
                "state",
                AgentState.RUNNING.name(),
                "leases",
                Integer.toString(leases)));
  }

  private AutoScalingGroup describe() {
    return autoScaling
        .describeAutoScalingGroups(d -> d.autoScalingGroupNames(group))
        .autoScalingGroups()
        .get(0);
  }

  private List<Instance> instances() {
    return describe().instances();
  }

  private List<String> protectedIds() {
    return instances().stream()
        .filter(instance -> Boolean.TRUE.equals(instance.protectedFromScaleIn()))
        .map(Instance::instanceId)
        .toList();
  }
}
