package dev.kiln.cli.release;

import dev.kiln.testkit.MotoServer;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * An estate in moto shaped like the one {@code terraform/modules} builds: VPC, ALB with a weighted
 * forward default action and an {@code /api/*} path rule, blue and green target groups, one Auto
 * Scaling group per color, and a GPU and a CPU agent group with mixed instances policies. Every
 * estate gets a unique name so tests share one moto server.
 */
final class MotoEstate {

  final MotoServer moto;
  final AwsClients clients;
  final Estate estate;
  final String baseAmi;
  final String opsBucket;
  String vpc;
  List<String> subnets;
  String listenerArn;

  private MotoEstate(MotoServer moto) {
    this.moto = moto;
    this.clients =
        AwsClients.create(
            Region.of(MotoServer.REGION),
            moto.endpoint(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)),
            false);
    this.estate = new Estate("k" + randomLetters(6));
    this.opsBucket = estate.name() + "-ops-" + MotoServer.REGION;
    this.baseAmi =
        clients
            .ec2()
            .describeImages(describe -> describe.owners("amazon"))
            .images()
            .get(0)
            .imageId();
  }

  /** Builds the estate with blue live at {@code webSize} instances and {@code gpuSize} agents. */
  static MotoEstate create(MotoServer moto, int webSize, int gpuSize) {
    return create(moto, webSize, gpuSize, 0);
  }

  /** The same, with {@code cpuSize} agents in the CPU group. */
  static MotoEstate create(MotoServer moto, int webSize, int gpuSize, int cpuSize) {
    MotoEstate fixture = new MotoEstate(moto);
    fixture.build(webSize, gpuSize, cpuSize);
    return fixture;
  }

  /**
   * Lower-case letters, one per hex digit of a random UUID: estates that share one moto server need
   * names that do not collide (16^n of them, not the few that mapping every digit to one letter
   * leaves).
   */
  private static String randomLetters(int count) {
    String hex = UUID.randomUUID().toString().replace("-", "");
    StringBuilder letters = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      letters.append((char) ('a' + Character.digit(hex.charAt(i), 16)));
    }
    return letters.toString();
  }

  private void build(int webSize, int gpuSize, int cpuSize) {
    var ec2 = clients.ec2();
    var elb = clients.elb();
    var autoScaling = clients.autoScaling();
    vpc = ec2.createVpc(create -> create.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    subnets =
        List.of(
            ec2.createSubnet(
                    create ->
                        create.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet()
                .subnetId(),
            ec2.createSubnet(
                    create ->
                        create.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
                .subnet()
                .subnetId());
    String loadBalancer =
        elb.createLoadBalancer(create -> create.name(estate.loadBalancer()).subnets(subnets))
            .loadBalancers()
            .get(0)
            .loadBalancerArn();
    String blue = targetGroup(Color.BLUE);
    String green = targetGroup(Color.GREEN);
    Action forward =
        Action.builder()
            .type(ActionTypeEnum.FORWARD)
            .forwardConfig(
                ForwardActionConfig.builder()
                    .targetGroups(
                        TargetGroupTuple.builder().targetGroupArn(blue).weight(100).build(),
                        TargetGroupTuple.builder().targetGroupArn(green).weight(0).build())
                    .build())
            .build();
    String listener =
        elb.createListener(
                create ->
                    create
                        .loadBalancerArn(loadBalancer)
                        .protocol("HTTP")
                        .port(80)
                        .defaultActions(forward))
            .listeners()
            .get(0)
            .listenerArn();
    elb.createRule(
        create ->
            create
                .listenerArn(listener)
                .priority(10)
                .conditions(condition -> condition.field("path-pattern").values("/api/*"))
                .actions(forward));
    elb.createRule(
        create ->
            create
                .listenerArn(listener)
                .priority(20)
                .conditions(
                    condition ->
                        condition
                            .field("http-header")
                            .httpHeaderConfig(
                                header -> header.httpHeaderName("X-Kiln-Color").values("green")))
                .actions(action -> action.type(ActionTypeEnum.FORWARD).targetGroupArn(green)));
    this.listenerArn = listener;

    for (Color color : Color.values()) {
      template(estate.webGroup(color), "t3.small");
      int size = color == Color.BLUE ? webSize : 0;
      autoScaling.createAutoScalingGroup(
          create ->
              create
                  .autoScalingGroupName(estate.webGroup(color))
                  .launchTemplate(lt -> lt.launchTemplateName(estate.webGroup(color)).version("1"))
                  .minSize(size)
                  .maxSize(6)
                  .desiredCapacity(size)
                  .targetGroupARNs(color == Color.BLUE ? blue : green)
                  .vpcZoneIdentifier(String.join(",", subnets)));
    }
    // prod's layout: the schedulers in a group of their own.
    String scheduler = estate.schedulerGroup().orElseThrow();
    template(scheduler, "t3.small");
    autoScaling.createAutoScalingGroup(
        create ->
            create
                .autoScalingGroupName(scheduler)
                .launchTemplate(lt -> lt.launchTemplateName(scheduler).version("1"))
                .minSize(2)
                .maxSize(2)
                .desiredCapacity(2)
                .vpcZoneIdentifier(String.join(",", subnets)));
    agentGroup(estate.gpuGroup(), gpuSize, "g4dn.xlarge", "g5.xlarge");
    // The CPU group as the environments declare it: Graviton spot types.
    agentGroup(estate.agentGroup(Role.cpu), cpuSize, "c7g.large", "c6g.large");
    clients.s3().createBucket(create -> create.bucket(opsBucket));
  }

  /** An agent group as terraform/modules/agent_tier makes it: spot only, the drain hook. */
  private void agentGroup(String name, int size, String... instanceTypes) {
    var autoScaling = clients.autoScaling();
    template(name, instanceTypes[0]);
    autoScaling.createAutoScalingGroup(
        create ->
            create
                .autoScalingGroupName(name)
                .mixedInstancesPolicy(
                    mixed ->
                        mixed
                            .launchTemplate(
                                lt ->
                                    lt.launchTemplateSpecification(
                                            spec -> spec.launchTemplateName(name).version("1"))
                                        .overrides(
                                            java.util.Arrays.stream(instanceTypes)
                                                .map(
                                                    type ->
                                                        software.amazon.awssdk.services.autoscaling
                                                            .model.LaunchTemplateOverrides.builder()
                                                            .instanceType(type)
                                                            .build())
                                                .toList()))
                            .instancesDistribution(
                                distribution ->
                                    distribution
                                        .onDemandBaseCapacity(0)
                                        .onDemandPercentageAboveBaseCapacity(0)
                                        .spotAllocationStrategy("price-capacity-optimized")))
                .minSize(0)
                .maxSize(8)
                .desiredCapacity(size)
                .vpcZoneIdentifier(String.join(",", subnets)));
    autoScaling.putLifecycleHook(
        hook ->
            hook.autoScalingGroupName(name)
                .lifecycleHookName("drain")
                .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING")
                .heartbeatTimeout(900)
                .defaultResult("CONTINUE"));
  }

  private String targetGroup(Color color) {
    return clients
        .elb()
        .createTargetGroup(
            create ->
                create
                    .name(estate.targetGroup(color))
                    .protocol("HTTP")
                    .port(8080)
                    .vpcId(vpc)
                    .healthCheckPath("/healthz"))
        .targetGroups()
        .get(0)
        .targetGroupArn();
  }

  private void template(String name, String instanceType) {
    clients
        .ec2()
        .createLaunchTemplate(
            create ->
                create
                    .launchTemplateName(name)
                    .launchTemplateData(
                        data ->
                            data.imageId(baseAmi)
                                .instanceType(instanceType)
                                .metadataOptions(metadata -> metadata.httpTokens("required"))));
  }

  /** Bakes a web AMI the way Packer would. */
  String bake(String kilnVersion) {
    return bake(kilnVersion, "web");
  }

  /** Bakes an AMI the way Packer would, for the architecture Packer bakes the role for. */
  String bake(String kilnVersion, String role) {
    return bake(kilnVersion, role, MotoImages.architectureOf(role));
  }

  /** The same for {@code arch}. */
  String bake(String kilnVersion, String role, String arch) {
    return MotoImages.bake(clients.ec2(), role, kilnVersion, arch, "c0ffee" + kilnVersion);
  }

  Groups groups() {
    return new Groups(clients.autoScaling());
  }

  TrafficSwitch traffic() {
    return new TrafficSwitch(clients.elb(), estate);
  }

  List<String> instanceIds(String group) {
    return Groups.live(groups().describe(group)).stream()
        .map(Instance::instanceId)
        .sorted()
        .toList();
  }

  /** The image each running instance of the group was launched from. */
  List<String> imagesOf(String group) {
    List<String> ids = instanceIds(group);
    if (ids.isEmpty()) {
      return List.of();
    }
    return clients
        .ec2()
        .describeInstances(describe -> describe.instanceIds(ids))
        .reservations()
        .stream()
        .flatMap(reservation -> reservation.instances().stream())
        .map(software.amazon.awssdk.services.ec2.model.Instance::imageId)
        .toList();
  }

  InstanceStateName state(String instanceId) {
    return clients
        .ec2()
        .describeInstances(describe -> describe.instanceIds(instanceId))
        .reservations()
        .get(0)
        .instances()
        .get(0)
        .state()
        .name();
  }
}
