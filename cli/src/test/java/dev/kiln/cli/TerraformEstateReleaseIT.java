package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.kiln.cli.release.AwsClients;
import dev.kiln.cli.release.MotoImages;
import dev.kiln.model.release.Outcome;
import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.release.ReleaseLog;
import dev.kiln.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.ScheduledUpdateGroupAction;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * {@code kiln release deploy} and {@code rollback} against the estate Terraform builds: envs/dev
 * applied to a moto_server of its own ({@code infra/terraform-apply.sh}), the CLI given that
 * apply's {@code terraform output -json} and moto's endpoint, then what moto holds checked: the
 * HTTPS listener's weights (default action and {@code /api/*} rule) and its preview rules, the
 * colors' launch templates, groups and office-hours wake actions, the agents' template and the
 * release records in Terraform's ops bucket. It fails when a name, a tag or a listener rule that
 * Terraform writes stops being the one the CLI acts on. Two things moto does unlike AWS are undone
 * after the apply, each where it is done: the ops bucket's TLS-only policy (moto speaks plain HTTP
 * here) and the agent groups' lost mixed instances policy.
 */
@Timeout(360)
class TerraformEstateReleaseIT {

  private static MotoServer moto;
  private static TerraformEstate terraform;
  private static AwsClients aws;
  private static Map<String, Object> release;

  @BeforeAll
  static void applyTerraform(@TempDir Path folder) throws Exception {
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    // A server of its own: the estate is named kiln-dev, as on AWS.
    moto = MotoServer.start();
    terraform = TerraformEstate.apply(moto, folder);
    aws =
        AwsClients.create(
            Region.of(MotoServer.REGION),
            moto.endpoint(),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)),
            false);
    @SuppressWarnings("unchecked")
    Map<String, Object> outputs =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(terraform.outputs().toFile(), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> value =
        (Map<String, Object>) ((Map<String, Object>) outputs.get("release")).get("value");
    release = value;
    // The buckets refuse plain HTTP (aws:SecureTransport), which moto enforces and which is all
    // it speaks here; the CLI reaches AWS over HTTPS. Only that statement goes.
    String ops = (String) release.get("ops_bucket");
    assertThat(aws.s3().getBucketPolicy(get -> get.bucket(ops)).policy())
        .contains("\"Deny\"", "aws:SecureTransport");
    aws.s3().deleteBucketPolicy(delete -> delete.bucket(ops));
    for (String role : List.of("gpu", "cpu")) {
      String group = (String) release.get(role + "_group_name");
      if (aws.autoScaling()
              .describeAutoScalingGroups(describe -> describe.autoScalingGroupNames(group))
              .autoScalingGroups()
              .get(0)
              .mixedInstancesPolicy()
          == null) {
        TerraformEstate.restoreMixedInstancesPolicy(
            aws.autoScaling(),
            group,
            (String) release.get(role + "_launch_template"),
            terraform.agentInstanceTypes(role));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (aws != null) {
      aws.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private record Run(int exit, String out) {}

  private Run kiln(String... args) {
    List<String> all = new ArrayList<>();
    all.add("release");
    all.addAll(
        List.of(
            "--outputs",
            terraform.outputs().toString(),
            "--endpoint-url",
            moto.endpoint().toString(),
            "--region",
            MotoServer.REGION,
            "--actor",
            "ops-alice",
            "--poll-interval",
            "20ms",
            "--no-sdk-retries"));
    all.addAll(List.of(args));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine commandLine = KilnCli.commandLine();
    commandLine.setOut(new PrintWriter(bytes, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(bytes, true, StandardCharsets.UTF_8));
    int exit = commandLine.execute(all.toArray(String[]::new));
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void deploysAndRollsBackTheWebTierAndRollsTheAgentsAsTerraformBuiltThem() {
    String terraformAmi = terraform.exampleVariable("web_ami_id");
    assertThat(release.get("estate")).isEqualTo("kiln-dev");
    assertThat(weights()).containsEntry("blue", 100).containsEntry("green", 0);
    assertThat(kiln("status").out()).contains("live: blue");

    String v2 = bake("web", "3.0");
    Run deploy = kiln("deploy", "--role", "web", "--ami", v2, "--rollback-window", "0s");

    assertThat(deploy.exit()).as(deploy.out()).isZero();
    assertThat(weights()).containsEntry("blue", 0).containsEntry("green", 100);
    assertThat(apiRuleWeights()).containsEntry("blue", 0).containsEntry("green", 100);
    assertPreviewRulesForwardToTheirOwnColor();
    assertThat(defaultImage(template("green"))).isEqualTo(v2);
    assertThat(imagesOf(group("green"))).containsExactly(v2);
    assertThat(group("blue").desiredCapacity()).isZero();
    assertThat(wake("green").desiredCapacity()).isEqualTo(1);
    assertThat(wake("blue").desiredCapacity()).isZero();

    Run rollback = kiln("rollback");

    assertThat(rollback.exit()).as(rollback.out()).isZero();
    assertThat(weights()).containsEntry("blue", 100).containsEntry("green", 0);
    assertThat(apiRuleWeights()).containsEntry("blue", 100).containsEntry("green", 0);
    assertPreviewRulesForwardToTheirOwnColor();
    assertThat(imagesOf(group("blue"))).containsExactly(terraformAmi);
    assertThat(group("green").desiredCapacity()).isZero();
    assertThat(wake("blue").desiredCapacity()).isEqualTo(1);
    assertThat(wake("green").desiredCapacity()).isZero();

    String gpuAmi = bake("gpu", "3.0");
    Run gpu = kiln("deploy", "--role", "gpu", "--ami", gpuAmi, "--drain-timeout", "5s");
    assertThat(gpu.exit()).as(gpu.out()).isZero();
    assertThat(defaultImage((String) release.get("gpu_launch_template"))).isEqualTo(gpuAmi);
    String cpuAmi = bake("cpu", "3.0");
    Run cpu = kiln("deploy", "--role", "cpu", "--ami", cpuAmi, "--drain-timeout", "5s");
    assertThat(cpu.exit()).as(cpu.out()).isZero();
    assertThat(defaultImage((String) release.get("cpu_launch_template"))).isEqualTo(cpuAmi);

    List<ReleaseRecord> records =
        new ReleaseLog(aws.s3(), (String) release.get("ops_bucket")).newest(10);
    assertThat(records)
        .extracting(ReleaseRecord::action, ReleaseRecord::role, ReleaseRecord::outcome)
        .containsExactly(
            tuple("deploy", "cpu", Outcome.SUCCEEDED),
            tuple("deploy", "gpu", Outcome.SUCCEEDED),
            tuple("rollback", "web", Outcome.SUCCEEDED),
            tuple("deploy", "web", Outcome.SUCCEEDED));
  }

  /** The weight per color of the HTTPS listener's default forward action. */
  private Map<String, Integer> weights() {
    String listener = (String) release.get("listener_arn");
    return weightsOf(
        aws.elb()
            .describeListeners(describe -> describe.listenerArns(listener))
            .listeners()
            .get(0)
            .defaultActions());
  }

  /** The weight per color of the listener rule for {@code /api/*}. */
  private Map<String, Integer> apiRuleWeights() {
    List<Rule> api =
        rules().stream()
            .filter(
                rule ->
                    rule.conditions().stream()
                        .anyMatch(
                            condition ->
                                condition.pathPatternConfig() != null
                                    && condition.pathPatternConfig().values().contains("/api/*")))
            .toList();
    assertThat(api).as("the /api/* rule of the HTTPS listener").hasSize(1);
    return weightsOf(api.get(0).actions());
  }

  /** The X-Kiln-Color preview rules forward to one color each, whichever is live. */
  private void assertPreviewRulesForwardToTheirOwnColor() {
    List<String> previews = new ArrayList<>();
    for (Rule rule : rules()) {
      rule.conditions().stream()
          .filter(condition -> condition.httpHeaderConfig() != null)
          .flatMap(condition -> condition.httpHeaderConfig().values().stream())
          .forEach(
              color -> {
                Map<String, Integer> weights = weightsOf(rule.actions());
                assertThat(weights).as("preview rule for " + color).containsOnlyKeys(color);
                previews.add(color);
              });
    }
    assertThat(previews).containsExactlyInAnyOrder("blue", "green");
  }

  private List<Rule> rules() {
    String listener = (String) release.get("listener_arn");
    return aws.elb().describeRules(describe -> describe.listenerArn(listener)).rules();
  }

  private Map<String, Integer> weightsOf(List<Action> actions) {
    Map<String, String> colorOfArn = new HashMap<>();
    targetGroupArns().forEach((color, arn) -> colorOfArn.put(arn, color));
    Map<String, Integer> weights = new HashMap<>();
    for (Action action : actions) {
      if (action.forwardConfig() != null && action.forwardConfig().hasTargetGroups()) {
        for (TargetGroupTuple tuple : action.forwardConfig().targetGroups()) {
          weights.put(
              colorOfArn.getOrDefault(tuple.targetGroupArn(), tuple.targetGroupArn()),
              tuple.weight() == null ? 1 : tuple.weight());
        }
      } else if (action.targetGroupArn() != null) {
        weights.put(colorOfArn.getOrDefault(action.targetGroupArn(), action.targetGroupArn()), 1);
      }
    }
    return weights;
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> targetGroupArns() {
    return (Map<String, String>) release.get("target_group_arns");
  }

  @SuppressWarnings("unchecked")
  private String template(String color) {
    return ((Map<String, String>) release.get("web_launch_templates")).get(color);
  }

  @SuppressWarnings("unchecked")
  private AutoScalingGroup group(String color) {
    String name = ((Map<String, String>) release.get("web_group_names")).get(color);
    return aws.autoScaling()
        .describeAutoScalingGroups(describe -> describe.autoScalingGroupNames(name))
        .autoScalingGroups()
        .get(0);
  }

  /** The office-hours action that starts the color's instances in the morning. */
  private ScheduledUpdateGroupAction wake(String color) {
    String name = group(color).autoScalingGroupName();
    List<ScheduledUpdateGroupAction> actions =
        aws.autoScaling()
            .describeScheduledActions(
                describe ->
                    describe.autoScalingGroupName(name).scheduledActionNames("kiln-wake-" + color))
            .scheduledUpdateGroupActions();
    assertThat(actions).as("the wake action Terraform gives " + name).hasSize(1);
    return actions.get(0);
  }

  private String defaultImage(String template) {
    return aws.ec2()
        .describeLaunchTemplateVersions(
            describe -> describe.launchTemplateName(template).versions("$Default"))
        .launchTemplateVersions()
        .get(0)
        .launchTemplateData()
        .imageId();
  }

  private List<String> imagesOf(AutoScalingGroup group) {
    List<String> ids =
        group.instances().stream()
            .map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
            .toList();
    if (ids.isEmpty()) {
      return List.of();
    }
    return aws
        .ec2()
        .describeInstances(describe -> describe.instanceIds(ids))
        .reservations()
        .stream()
        .flatMap(reservation -> reservation.instances().stream())
        .filter(instance -> !"terminated".equals(instance.state().nameAsString()))
        .map(software.amazon.awssdk.services.ec2.model.Instance::imageId)
        .toList();
  }

  /** An AMI as {@code kiln release bake} leaves it: an image tagged with its role and version. */
  /**
   * An image of {@code role} as Packer bakes it: CPU images for arm64 (Graviton), others x86_64.
   */
  private String bake(String role, String version) {
    return MotoImages.bake(aws.ec2(), role, version, MotoImages.architectureOf(role), "c0ffee");
  }
}
