package dev.kiln.cli.release;

import dev.kiln.protocol.InstanceTags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;

/**
 * Deregisters old Kiln AMIs of one role and deletes their snapshots, which cost money every month
 * (EBS snapshot storage) long after anyone could roll back to them. Keeps the newest {@code keep}
 * images of the role and every image any version of any launch template in the region names (what
 * runs, what a rollback returns to, what Terraform's next template version copies, in this estate
 * or another one sharing the account's images). Thread-safe.
 */
public final class AmiPruner {

  /** What one prune did (or would do, in a dry run). */
  public record Pruned(List<String> images, List<String> snapshots, List<String> kept) {}

  private final Ec2Client ec2;
  private final Consumer<String> progress;

  public AmiPruner(Ec2Client ec2, Consumer<String> progress) {
    this.ec2 = ec2;
    this.progress = progress;
  }

  /**
   * @param role {@code web}, {@code gpu} or {@code cpu} (the images' {@code kiln:role} tag)
   * @param keep how many of the newest images to keep besides those
   * @param dryRun say what would go, change nothing
   */
  public Pruned prune(String role, int keep, boolean dryRun) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one image: " + keep);
    }
    List<Image> images =
        new ArrayList<>(
            ec2.describeImages(
                    describe ->
                        describe
                            .owners("self")
                            .filters(
                                filter -> filter.name("tag:" + InstanceTags.ROLE).values(role)))
                .images());
    // Newest first; images made within the same second are told apart by name (Packer's names
    // end in the bake's time stamp).
    images.sort(
        Comparator.comparing(Image::creationDate, Comparator.nullsFirst(String::compareTo))
            .thenComparing(Image::name, Comparator.nullsFirst(String::compareTo))
            .reversed());
    Set<String> inUse = imagesNamedByTemplates();
    List<String> gone = new ArrayList<>();
    List<String> snapshots = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      if (i < keep || inUse.contains(image.imageId())) {
        kept.add(image.imageId());
        continue;
      }
      List<String> imageSnapshots =
          image.blockDeviceMappings().stream()
              .map(BlockDeviceMapping::ebs)
              .filter(ebs -> ebs != null && ebs.snapshotId() != null)
              .map(ebs -> ebs.snapshotId())
              .toList();
      gone.add(image.imageId());
      snapshots.addAll(imageSnapshots);
      if (dryRun) {
        progress.accept("would deregister " + image.imageId() + " and delete " + imageSnapshots);
        continue;
      }
      ec2.deregisterImage(deregister -> deregister.imageId(image.imageId()));
      for (String snapshot : imageSnapshots) {
        ec2.deleteSnapshot(delete -> delete.snapshotId(snapshot));
      }
      progress.accept("deregistered " + image.imageId() + ", deleted " + imageSnapshots);
    }
    return new Pruned(gone, snapshots, kept);
  }

  private Set<String> imagesNamedByTemplates() {
    Set<String> images = new HashSet<>();
    for (LaunchTemplate template :
        ec2.describeLaunchTemplatesPaginator(describe -> {}).launchTemplates()) {
      for (LaunchTemplateVersion version :
          ec2.describeLaunchTemplateVersionsPaginator(
                  describe -> describe.launchTemplateId(template.launchTemplateId()))
              .launchTemplateVersions()) {
        if (version.launchTemplateData() != null
            && version.launchTemplateData().imageId() != null) {
          images.add(version.launchTemplateData().imageId());
        }
      }
    }
    return images;
  }
}
