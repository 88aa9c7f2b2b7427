package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.testkit.MotoServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;

/**
 * terraform/envs/dev applied to a moto_server by {@code infra/terraform-apply.sh}, and the {@code
 * terraform output -json} it wrote. Without terraform or its provider mirror the test that needs it
 * fails on CI ({@code CI=true}) and is skipped, saying why, elsewhere or when {@code
 * KILN_SKIP_TERRAFORM=1} says terraform cannot be had (as {@code infra/check.sh} does).
 */
final class TerraformEstate {

  private static final long APPLY_TIMEOUT_SECONDS = 270;

  private final Path repo;
  private final Path outputs;

  private TerraformEstate(Path repo, Path outputs) {
    this.repo = repo;
    this.outputs = outputs;
  }

  /** Applies envs/dev to {@code moto} and writes its outputs into {@code folder}. */
  static TerraformEstate apply(MotoServer moto, Path folder) throws InterruptedException {
    Path repo = repository();
    requireTerraform();
    Path outputs = folder.resolve("outputs.json");
    Path log = folder.resolve("terraform-apply.log");
    try {
      Process process =
          new ProcessBuilder(
                  "bash",
                  repo.resolve("infra/terraform-apply.sh").toString(),
                  moto.endpoint().toString(),
                  outputs.toString())
              .directory(repo.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        fail("terraform apply of envs/dev took over " + APPLY_TIMEOUT_SECONDS + " s: " + tail(log));
      }
      if (process.exitValue() != 0) {
        fail("infra/terraform-apply.sh failed: " + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run infra/terraform-apply.sh", e);
    }
    return new TerraformEstate(repo, outputs);
  }

  /** The file {@code kiln release --outputs} reads. */
  Path outputs() {
    return outputs;
  }

  /**
   * Gives an agent group back the mixed instances policy Terraform created it with (its launch
   * template, instance types and spot only), which moto drops: the provider creates a group that
   * has an initial lifecycle hook at size zero, then sizes it with UpdateAutoScalingGroup, and
   * moto's UpdateAutoScalingGroup forgets a policy the call does not repeat (AWS keeps it).
   *
   * @param instanceTypes the group's instance types, as envs/dev lists them
   */
  static void restoreMixedInstancesPolicy(
      AutoScalingClient autoScaling, String group, String template, List<String> instanceTypes) {
    autoScaling.updateAutoScalingGroup(
        update ->
            update
                .autoScalingGroupName(group)
                .mixedInstancesPolicy(
                    mixed ->
                        mixed
                            .launchTemplate(
                                launch ->
                                    launch
                                        .launchTemplateSpecification(
                                            spec -> spec.launchTemplateName(template).version("1"))
                                        .overrides(
                                            instanceTypes.stream()
                                                .map(
                                                    type ->
                                                        LaunchTemplateOverrides.builder()
                                                            .instanceType(type)
                                                            .build())
                                                .toList()))
                            .instancesDistribution(
                                spot ->
                                    spot.onDemandBaseCapacity(0)
                                        .onDemandPercentageAboveBaseCapacity(0)
                                        .spotAllocationStrategy("price-capacity-optimized"))));
  }

  /**
   * The instance types envs/dev gives the agent group of {@code role} ({@code module
   * "<role>_tier"}).
   */
  List<String> agentInstanceTypes(String role) {
    try {
      String text = Files.readString(repo.resolve("terraform/envs/dev/main.tf"));
      Matcher types =
          Pattern.compile(
                  "(?s)module \""
                      + Pattern.quote(role)
                      + "_tier\" \\{.*?instance_types\\s*=\\s*\\[([^\\]]*)\\]")
              .matcher(text);
      if (!types.find()) {
        throw new IllegalStateException("envs/dev gives the " + role + " tier no instance_types");
      }
      return Pattern.compile("\"([^\"]+)\"")
          .matcher(types.group(1))
          .results()
          .map(found -> found.group(1))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value of envs/dev's terraform.tfvars.example, which the apply used. */
  String exampleVariable(String name) {
    try {
      String text = Files.readString(repo.resolve("terraform/envs/dev/terraform.tfvars.example"));
      Matcher value =
          Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*=\\s*\"([^\"]*)\"").matcher(text);
      if (!value.find()) {
        throw new IllegalStateException("terraform.tfvars.example sets no " + name);
      }
      return value.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra/terraform-apply.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no infra/terraform-apply.sh above " + here);
  }

  private static void requireTerraform() {
    String mirror = System.getenv().getOrDefault("KILN_TF_PLUGIN_MIRROR", "/opt/tf-plugins");
    String missing = null;
    if (!onPath("terraform")) {
      missing = "terraform is not on PATH";
    } else if (!Files.isDirectory(Path.of(mirror, "registry.terraform.io/hashicorp/aws"))) {
      missing = "no aws provider under " + mirror;
    }
    if (missing == null) {
      return;
    }
    String why = missing + ": run infra/install-tools.sh (or set KILN_TF_PLUGIN_MIRROR)";
    if ("1".equals(System.getenv("KILN_SKIP_TERRAFORM"))
        || !"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.abort(why);
    }
    fail(why + " (CI=true: a release test against the Terraform estate must run in CI)");
  }

  private static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
