package dev.kiln.cli.release;

import dev.kiln.protocol.InstanceTags;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Images in moto as Packer bakes them: an image of an instance of a base image of the wanted
 * architecture (moto's RegisterImage records none; CreateImage copies the instance's), tagged with
 * its role, architecture, Kiln version and commit.
 */
public final class MotoImages {
  private MotoImages() {}

  /** The architecture Packer bakes {@code role} for: arm64 (Graviton) for CPU, else x86_64. */
  public static String architectureOf(String role) {
    return role.equals("cpu") ? "arm64" : "x86_64";
  }

  /** Bakes an image of {@code role} at {@code kilnVersion} for {@code arch}; answers its id. */
  public static String bake(
      Ec2Client ec2, String role, String kilnVersion, String arch, String commit) {
    String base =
        ec2.describeImages(
                describe ->
                    describe.owners("amazon").filters(f -> f.name("architecture").values(arch)))
            .images()
            .get(0)
            .imageId();
    String instance =
        ec2.runInstances(run -> run.imageId(base).minCount(1).maxCount(1))
            .instances()
            .get(0)
            .instanceId();
    String ami =
        ec2.createImage(
                create ->
                    create
                        .instanceId(instance)
                        .name("kiln-" + role + "-" + kilnVersion + "-" + UUID.randomUUID()))
            .imageId();
    ec2.createTags(
        tag ->
            tag.resources(ami)
                .tags(
                    Tag.builder().key(InstanceTags.ROLE).value(role).build(),
                    Tag.builder().key(InstanceTags.ARCH).value(arch).build(),
                    Tag.builder().key(InstanceTags.VERSION).value(kilnVersion).build(),
                    Tag.builder().key(InstanceTags.GIT_COMMIT).value(commit).build()));
    ec2.terminateInstances(terminate -> terminate.instanceIds(instance));
    return ami;
  }
}
