package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.release.Outcome;
import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.release.ReleaseLog;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What keeps releases safe to run against moto: one at a time (the lock in the ops bucket), a
 * record even when interrupted, and old images pruned without touching what a template names.
 */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class ReleaseSafetyIT {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);

  private final MotoServer moto;
  private MotoEstate fixture;

  ReleaseSafetyIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void buildEstate() {
    fixture = MotoEstate.create(moto, 1, 0);
  }

  @Test
  void aSecondReleaseIsRefusedNamingTheFirstUntilItEnds() {
    var s3 = fixture.clients.s3();
    ReleaseLock first = ReleaseLock.acquire(s3, fixture.opsBucket, "ops-alice: deploy web", CLOCK);

    assertThatThrownBy(() -> ReleaseLock.acquire(s3, fixture.opsBucket, "ops-bob: rollback", CLOCK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another release is running")
        .hasMessageContaining("ops-alice: deploy web since 2026-03-02T09:00:00Z")
        .hasMessageContaining("kiln release unlock");

    first.close();
    ReleaseLock second = ReleaseLock.acquire(s3, fixture.opsBucket, "ops-bob: rollback", CLOCK);
    assertThat(ReleaseLock.holder(s3, fixture.opsBucket)).startsWith("ops-bob");
    ReleaseLock.breakLock(s3, fixture.opsBucket);
    assertThat(ReleaseLock.holder(s3, fixture.opsBucket)).isEqualTo("nobody holds the lock now");
    second.close();
  }

  @Test
  void anInterruptedStepIsRecordedOnceWithWhatItWasDoingAndGivesTheLockBack() {
    var s3 = fixture.clients.s3();
    ReleaseLog log = new ReleaseLog(s3, fixture.opsBucket);
    List<StepResult> recorded = new ArrayList<>();
    ReleaseLock lock = ReleaseLock.acquire(s3, fixture.opsBucket, "ops-alice: deploy web", CLOCK);
    List<String> printed = new ArrayList<>();
    try (ReleaseGuard guard =
        new ReleaseGuard(
            lock,
            result -> {
              recorded.add(result);
              log.append(
                  new ReleaseRecord(
                      UUID.randomUUID().toString(),
                      CLOCK.instant(),
                      "ops-alice",
                      "deploy",
                      "web",
                      result.ami(),
                      null,
                      null,
                      result.outcome(),
                      result.reason()));
              return 0;
            },
            "ami-0new")) {
      var progress = guard.progress(printed::add);
      progress.accept("live is blue; kiln-x-web-green gets version 2");
      progress.accept("flipped: green is live; blue stays warm for PT15M");

      guard.interrupted();

      assertThat(guard.finish(new StepResult(Outcome.SUCCEEDED, "ami-0new", null, null, "late")))
          .as("the step's own result comes too late and is not recorded twice")
          .isEqualTo(130);
    }
    assertThat(printed).hasSize(2);
    assertThat(recorded)
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.ABORTED));
    assertThat(log.newest(5))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.outcome()).isEqualTo(Outcome.ABORTED);
              assertThat(record.reason())
                  .contains("interrupted")
                  .contains("flipped: green is live; blue stays warm for PT15M");
            });
    assertThat(ReleaseLock.holder(s3, fixture.opsBucket)).isEqualTo("nobody holds the lock now");
  }

  @Test
  void prunesOldImagesOfOneRoleAndTheirSnapshotsButNeverOneATemplateNames() {
    // moto answers at most 15 launch templates and no next-page token, and the pruner must see
    // every template: this test gets a moto of its own, holding only its estate's templates.
    try (MotoServer own = MotoServer.start()) {
      fixture = MotoEstate.create(own, 1, 0);
      var ec2 = fixture.clients.ec2();
      String oldest = fixture.bake("0.1", "web");
      String named = fixture.bake("0.2", "web");
      String older = fixture.bake("0.3", "web");
      String newest = fixture.bake("0.4", "web");
      String gpu = fixture.bake("0.5", "gpu");
      new LaunchTemplates(ec2)
          .createVersion(fixture.estate.webTemplate(Color.GREEN), "1", named, "a rollback target");
      List<String> snapshotsOfOldest = snapshots(oldest);

      AmiPruner pruner = new AmiPruner(ec2, line -> {});
      AmiPruner.Pruned dry = pruner.prune("web", 1, true);
      // Other tests' images share the account (and moto); only this test's are asserted on.
      assertThat(dry.images()).contains(oldest, older).doesNotContain(named, newest, gpu);
      assertThat(images()).contains(oldest, older);

      AmiPruner.Pruned pruned = pruner.prune("web", 1, false);

      assertThat(pruned.images()).contains(oldest, older).doesNotContain(named, newest, gpu);
      assertThat(pruned.kept()).contains(newest, named);
      assertThat(images()).contains(named, newest, gpu).doesNotContain(oldest, older);
      assertThat(pruned.snapshots()).containsAll(snapshotsOfOldest);
      List<String> remaining =
          ec2.describeSnapshots(d -> d.ownerIds("self")).snapshots().stream()
              .map(s -> s.snapshotId())
              .toList();
      assertThat(remaining).doesNotContainAnyElementsOf(snapshotsOfOldest);
    }
  }

  private List<String> images() {
    return fixture.clients.ec2().describeImages(d -> d.owners("self")).images().stream()
        .map(image -> image.imageId())
        .toList();
  }

  private List<String> snapshots(String ami) {
    return fixture
        .clients
        .ec2()
        .describeImages(d -> d.imageIds(ami))
        .images()
        .get(0)
        .blockDeviceMappings()
        .stream()
        .filter(mapping -> mapping.ebs() != null && mapping.ebs().snapshotId() != null)
        .map(mapping -> mapping.ebs().snapshotId())
        .toList();
  }
}
