package dev.kiln.cli.release;

import dev.kiln.protocol.InstanceTags;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Launch template versions and the images they point at. Thread-safe. */
public final class LaunchTemplates {

  private final Ec2Client ec2;

  public LaunchTemplates(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /**
   * Adds a version to the template that copies {@code sourceVersion} with another image.
   *
   * @return the new version number
   */
  public String createVersion(String template, String sourceVersion, String ami, String why) {
    Long number =
        ec2.createLaunchTemplateVersion(
                create ->
                    create
                        .launchTemplateName(template)
                        .sourceVersion(sourceVersion)
                        .versionDescription(why)
                        .launchTemplateData(data -> data.imageId(ami)))
            .launchTemplateVersion()
            .versionNumber();
    return Long.toString(number);
  }

  /**
   * The template's latest version: Terraform's changes to a template land there (with the image of
   * the version before, which Terraform ignores), so a release that copies it carries them.
   */
  public String latestVersion(String template) {
    return ec2
        .describeLaunchTemplates(describe -> describe.launchTemplateNames(template))
        .launchTemplates()
        .stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no launch template named " + template))
        .latestVersionNumber()
        .toString();
  }

  /** The image of one version of a template. */
  public String imageOf(String template, String version) {
    return ec2
        .describeLaunchTemplateVersions(
            describe -> describe.launchTemplateName(template).versions(version))
        .launchTemplateVersions()
        .stream()
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no version " + version + " of template " + template))
        .launchTemplateData()
        .imageId();
  }

  /** The instance type one version of a template names, if it names one. */
  public java.util.Optional<String> instanceTypeOf(String template, String version) {
    return java.util.Optional.ofNullable(
        ec2
            .describeLaunchTemplateVersions(
                describe -> describe.launchTemplateName(template).versions(version))
            .launchTemplateVersions()
            .stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException("no version " + version + " of template " + template))
            .launchTemplateData()
            .instanceTypeAsString());
  }

  /** The image each instance runs, by instance id (instances that no longer exist are absent). */
  public Map<String, String> imagesOf(java.util.Collection<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return Map.of();
    }
    return ec2
        .describeInstances(describe -> describe.instanceIds(instanceIds))
        .reservations()
        .stream()
        .flatMap(reservation -> reservation.instances().stream())
        .collect(
            Collectors.toMap(
                software.amazon.awssdk.services.ec2.model.Instance::instanceId,
                software.amazon.awssdk.services.ec2.model.Instance::imageId,
                (a, b) -> b));
  }

  /** Makes {@code version} the template's default, the one consoles and scripts launch. */
  public void makeDefault(String template, String version) {
    ec2.modifyLaunchTemplate(modify -> modify.launchTemplateName(template).defaultVersion(version));
  }

  /**
   * Fails unless the image was baked for {@code role} (its {@code kiln:role} tag): a GPU image on
   * the web tier, or the reverse, would start nothing that serves.
   */
  public void requireRole(String ami, String role) {
    String tagged = imageTags(ami).get(InstanceTags.ROLE);
    if (!role.equals(tagged)) {
      throw new IllegalArgumentException(
          ami
              + " is "
              + (tagged == null ? "not tagged " + InstanceTags.ROLE : "a " + tagged + " image")
              + ", not a "
              + role
              + " image: bake one with kiln release bake --role "
              + role);
    }
  }

  /** The image's tags; fails with a clear message if the image does not exist. */
  public Map<String, String> imageTags(String ami) {
    Image image =
        ec2.describeImages(describe -> describe.imageIds(ami)).images().stream()
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no such AMI: " + ami));
    return image.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
  }
}
