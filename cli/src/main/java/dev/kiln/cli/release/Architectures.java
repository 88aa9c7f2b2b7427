package dev.kiln.cli.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateOverrides;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * Whether a group's machines can boot an image: the image's architecture ({@code DescribeImages})
 * against the architectures each of the group's instance types runs ({@code
 * DescribeInstanceTypes}). A Graviton type cannot boot an x86_64 image, nor the reverse; the group
 * would launch nothing that serves. Thread-safe.
 */
public final class Architectures {

  private final Ec2Client ec2;

  public Architectures(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /**
   * The instance types the group launches: its mixed instances policy's overrides, or else the type
   * of the launch template version it launches from.
   */
  public static List<String> instanceTypes(AutoScalingGroup group, Optional<String> templateType) {
    MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
    List<String> overrides =
        mixed == null || mixed.launchTemplate() == null
            ? List.of()
            : mixed.launchTemplate().overrides().stream()
                .map(LaunchTemplateOverrides::instanceType)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    return overrides.isEmpty() ? templateType.stream().toList() : overrides;
  }

  /** The image's architecture as EC2 names it ({@code x86_64}, {@code arm64}). */
  public String of(String ami) {
    Image image =
        ec2.describeImages(describe -> describe.imageIds(ami)).images().stream()
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no such AMI: " + ami));
    String architecture = image.architectureAsString();
    if (architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException(
          ami + " names no architecture, so no group can be sure to boot it: bake it with Packer");
    }
    return architecture;
  }

  /** The architectures each instance type runs, in the order given. */
  public Map<String, Set<String>> supportedBy(Collection<String> instanceTypes) {
    Map<String, Set<String>> byType = new LinkedHashMap<>();
    instanceTypes.forEach(type -> byType.put(type, Set.of()));
    for (InstanceTypeInfo info :
        ec2.describeInstanceTypes(describe -> describe.instanceTypesWithStrings(instanceTypes))
            .instanceTypes()) {
      byType.put(
          info.instanceTypeAsString(),
          Set.copyOf(info.processorInfo().supportedArchitecturesAsStrings()));
    }
    return byType;
  }

  /**
   * Fails, saying what to deploy instead, unless every instance type of {@code group} runs the
   * image's architecture.
   */
  public void requireRunnable(String ami, String group, List<String> instanceTypes, Role role) {
    if (instanceTypes.isEmpty()) {
      throw new IllegalStateException(
          group + " names no instance type, so the image's architecture cannot be checked");
    }
    String architecture = of(ami);
    Map<String, Set<String>> supported = supportedBy(instanceTypes);
    List<String> unfit = new ArrayList<>();
    Set<String> theirs = new LinkedHashSet<>();
    supported.forEach(
        (type, architectures) -> {
          if (!architectures.contains(architecture)) {
            unfit.add(type);
            theirs.addAll(architectures);
          }
        });
    if (unfit.isEmpty()) {
      return;
    }
    String wanted = theirs.size() == 1 ? theirs.iterator().next() : String.join(" or ", theirs);
    throw new IllegalArgumentException(
        ami
            + " is an "
            + architecture
            + " image, but "
            + group
            + " launches "
            + String.join(", ", unfit)
            + " ("
            + (theirs.isEmpty() ? "unknown architecture" : wanted)
            + "): deploy an image baked for "
            + wanted
            + " (kiln release bake --role "
            + role.name()
            + (role == Role.cpu && theirs.size() == 1 ? " --arch " + wanted : "")
            + ")");
  }
}
