package dev.kiln.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a release acts on in one environment: the names (and, from Terraform, the ARNs) of its load
 * balancer, target groups, Auto Scaling groups, launch templates and ops bucket. {@link
 * #fromTerraformOutputs} reads them from the environment's {@code release} output ({@code terraform
 * output -json}), so nothing depends on how resources happen to be named; {@link #Estate(String)}
 * gives the names {@code terraform/modules} uses, for estates built without Terraform (tests).
 *
 * @param name the environment, for example {@code kiln-dev}
 * @param loadBalancer the ALB's name
 * @param loadBalancerArn the ALB's ARN, when known
 * @param targetGroups target group name per color
 * @param targetGroupArns target group ARN per color, when known
 * @param webGroups Auto Scaling group per color
 * @param webTemplates launch template per color
 * @param schedulerGroup the schedulers' group; empty when they run on the web instances
 * @param schedulerTemplate the schedulers' launch template; empty likewise
 * @param gpuGroup the GPU agents' group
 * @param gpuTemplate the GPU agents' launch template
 * @param cpuGroup the CPU agents' group; empty for an estate without one
 * @param cpuTemplate the CPU agents' launch template; empty likewise
 * @param opsBucket where release records and the release lock live, when known
 */
public record Estate(
    String name,
    String loadBalancer,
    Optional<String> loadBalancerArn,
    Map<Color, String> targetGroups,
    Map<Color, String> targetGroupArns,
    Map<Color, String> webGroups,
    Map<Color, String> webTemplates,
    Optional<String> schedulerGroup,
    Optional<String> schedulerTemplate,
    String gpuGroup,
    String gpuTemplate,
    Optional<String> cpuGroup,
    Optional<String> cpuTemplate,
    Optional<String> opsBucket) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Estate {
    if (name == null || !name.matches("[a-z][a-z0-9-]{1,20}")) {
      throw new IllegalArgumentException(
          "estate name must be 2-21 lower-case letters, digits or dashes: " + name);
    }
    targetGroups = Map.copyOf(targetGroups);
    targetGroupArns = Map.copyOf(targetGroupArns);
    webGroups = Map.copyOf(webGroups);
    webTemplates = Map.copyOf(webTemplates);
  }

  /** The names {@code terraform/modules} gives an environment's resources. */
  public Estate(String name) {
    this(
        name,
        name,
        Optional.empty(),
        perColor(color -> name + "-web-" + color.label()),
        Map.of(),
        perColor(color -> name + "-web-" + color.label()),
        perColor(color -> name + "-web-" + color.label()),
        Optional.of(name + "-scheduler"),
        Optional.of(name + "-scheduler"),
        name + "-gpu",
        name + "-gpu",
        Optional.of(name + "-cpu"),
        Optional.of(name + "-cpu"),
        Optional.empty());
  }

  /**
   * Reads the {@code release} output of {@code terraform output -json} (the whole document, or that
   * output alone).
   *
   * @throws IllegalArgumentException naming what is missing
   */
  public static Estate fromTerraformOutputs(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Terraform outputs " + file, e);
    }
    JsonNode release = root.has("release") ? root.get("release") : root;
    if (release.has("value")) {
      release = release.get("value");
    }
    if (!release.isObject() || !release.has("estate")) {
      throw new IllegalArgumentException(
          file
              + " holds no release output: write it with `terraform output -json > "
              + file.getFileName()
              + "` in terraform/envs/<env>");
    }
    JsonNode values = release;
    return new Estate(
        text(values, "estate"),
        arnName(text(values, "load_balancer_arn")),
        Optional.of(text(values, "load_balancer_arn")),
        perColor(color -> arnName(text(values.path("target_group_arns"), color.label()))),
        perColor(color -> text(values.path("target_group_arns"), color.label())),
        perColor(color -> text(values.path("web_group_names"), color.label())),
        perColor(color -> text(values.path("web_launch_templates"), color.label())),
        optionalText(values, "scheduler_group_name"),
        optionalText(values, "scheduler_launch_template"),
        text(values, "gpu_group_name"),
        text(values, "gpu_launch_template"),
        optionalText(values, "cpu_group_name"),
        optionalText(values, "cpu_launch_template"),
        Optional.of(text(values, "ops_bucket")));
  }

  /** The Auto Scaling group of one web color. */
  public String webGroup(Color color) {
    return webGroups.get(color);
  }

  /** The launch template of one web color. */
  public String webTemplate(Color color) {
    return webTemplates.get(color);
  }

  /** The ALB target group (name) of one web color. */
  public String targetGroup(Color color) {
    return targetGroups.get(color);
  }

  /** The GPU agents' Auto Scaling group. */
  public String gpuGroup() {
    return gpuGroup;
  }

  /**
   * The Auto Scaling group of one agent role.
   *
   * @throws IllegalArgumentException for the web role, or a CPU group the estate does not have
   */
  public String agentGroup(Role role) {
    return switch (role) {
      case gpu -> gpuGroup;
      case cpu -> cpuGroup.orElseThrow(() -> noCpuGroup("cpu_group_name"));
      case web -> throw new IllegalArgumentException("the web tier has one group per color");
    };
  }

  /** The launch template of one agent role; the same exceptions as {@link #agentGroup}. */
  public String agentTemplate(Role role) {
    return switch (role) {
      case gpu -> gpuTemplate;
      case cpu -> cpuTemplate.orElseThrow(() -> noCpuGroup("cpu_launch_template"));
      case web -> throw new IllegalArgumentException("the web tier has one template per color");
    };
  }

  private IllegalArgumentException noCpuGroup(String output) {
    return new IllegalArgumentException(
        "estate "
            + name
            + " has no CPU agent group: its release output names no "
            + output
            + " (apply terraform/envs/<env> with its cpu_tier module, then write the outputs"
            + " again)");
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException("the release output has no " + field);
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  /**
   * The name in an ELB ARN: {@code ...:loadbalancer/app/<name>/<id>} or {@code targetgroup/...}.
   */
  private static String arnName(String arn) {
    String[] parts = arn.split("/");
    if (parts.length < 3) {
      throw new IllegalArgumentException("not a load balancer or target group ARN: " + arn);
    }
    return arn.contains(":loadbalancer/") ? parts[parts.length - 2] : parts[1];
  }

  private static Map<Color, String> perColor(java.util.function.Function<Color, String> name) {
    Map<Color, String> map = new EnumMap<>(Color.class);
    for (Color color : Color.values()) {
      map.put(color, name.apply(color));
    }
    return map;
  }
}
