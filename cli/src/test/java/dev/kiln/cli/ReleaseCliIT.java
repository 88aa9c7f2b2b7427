package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.release.MotoEstateAccess;
import dev.kiln.model.release.Outcome;
import dev.kiln.model.release.ReleaseRecord;
import dev.kiln.protocol.release.ReleaseLog;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kiln release ...} end to end through picocli against moto, records included. */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class ReleaseCliIT {

  private final MotoServer moto;

  ReleaseCliIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
  }

  private record Run(int exit, String out) {}

  private Run kiln(MotoEstateAccess estate, String... args) {
    return kilnWithBucket(estate, estate.opsBucket(), args);
  }

  private Run kilnWithBucket(MotoEstateAccess estate, String opsBucket, String... args) {
    List<String> all = new ArrayList<>();
    all.add("release");
    all.addAll(
        List.of(
            "--endpoint-url",
            moto.endpoint().toString(),
            "--region",
            MotoServer.REGION,
            "--estate",
            estate.name(),
            "--ops-bucket",
            opsBucket,
            "--actor",
            "ops-alice",
            "--poll-interval",
            "20ms",
            "--no-sdk-retries"));
    all.addAll(List.of(args));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CommandLine commandLine = KilnCli.commandLine();
    commandLine.setOut(new PrintWriter(bytes, true, StandardCharsets.UTF_8));
    int exit = commandLine.execute(all.toArray(String[]::new));
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void deploysShowsRollsBackAndRecordsEveryStep() {
    MotoEstateAccess estate = MotoEstateAccess.create(moto);
    String v2 = estate.bake("3.0");

    Run before = kiln(estate, "status");
    assertThat(before.exit()).isZero();
    assertThat(before.out()).contains("live: blue");

    Run deploy = kiln(estate, "deploy", "--role", "web", "--ami", v2, "--rollback-window", "0s");
    assertThat(deploy.exit()).as(deploy.out()).isZero();
    assertThat(kiln(estate, "status").out()).contains("live: green").contains("kiln 3.0");
    assertThat(estate.schedulerImages())
        .as("the schedulers' own group is rolled onto the new AMI too")
        .hasSize(2)
        .containsOnly(v2);

    Run missing = kiln(estate, "deploy", "--role", "web", "--ami", "ami-0000000000000dead");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(kiln(estate, "status").out()).contains("live: green");

    Run wrongRole = kiln(estate, "deploy", "--role", "gpu", "--ami", v2, "--drain-timeout", "5s");
    assertThat(wrongRole.exit()).isEqualTo(1);
    String gpuAmi = estate.bake("3.0", "gpu");
    Run gpu = kiln(estate, "deploy", "--role", "gpu", "--ami", gpuAmi, "--drain-timeout", "5s");
    assertThat(gpu.exit()).as(gpu.out()).isZero();

    Run rollback = kiln(estate, "rollback");
    assertThat(rollback.exit()).as(rollback.out()).isZero();
    assertThat(kiln(estate, "status").out()).contains("live: blue");

    List<ReleaseRecord> records = new ReleaseLog(estate.s3(), estate.opsBucket()).newest(10);
    assertThat(records)
        .extracting(ReleaseRecord::action, ReleaseRecord::role, ReleaseRecord::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rollback", "web", Outcome.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("deploy", "gpu", Outcome.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("deploy", "gpu", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("deploy", "web", Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple("deploy", "web", Outcome.SUCCEEDED));
    assertThat(records).allSatisfy(record -> assertThat(record.actor()).isEqualTo("ops-alice"));
    assertThat(records.get(4).fromColor()).isEqualTo("blue");
    assertThat(records.get(4).toColor()).isEqualTo("green");
    assertThat(records.get(4).ami()).isEqualTo(v2);
    assertThat(records.get(3).reason()).contains("ami-0000000000000dead");
    assertThat(records.get(2).reason()).contains("a web image, not a gpu image");

    Run unrecorded = kilnWithBucket(estate, "no-such-bucket", "status");
    assertThat(unrecorded.exit()).isZero();
    Run lost = kilnWithBucket(estate, "no-such-bucket", "rollback");
    assertThat(lost.exit()).as("a release that cannot be recorded says so").isEqualTo(4);
    assertThat(kiln(estate, "rollback").exit()).isZero();

    Run history = kiln(estate, "history", "--limit", "2");
    assertThat(history.out().lines()).hasSize(2);
    assertThat(history.out()).contains("rollback").contains("ops-alice");
  }

  @Test
  void refusesACpuImageTheGravitonGroupCannotBootInOneLineAndDeploysOneItCan() {
    MotoEstateAccess estate = MotoEstateAccess.create(moto);
    String x86 = estate.bake("3.2", "cpu", "x86_64");

    Run refused = kiln(estate, "deploy", "--role", "cpu", "--ami", x86, "--drain-timeout", "5s");

    assertThat(refused.exit()).as(refused.out()).isEqualTo(1);
    String failed =
        refused
            .out()
            .lines()
            .filter(line -> line.startsWith(Outcome.FAILED.name()))
            .findFirst()
            .orElseThrow();
    assertThat(failed)
        .contains(x86 + " is an x86_64 image")
        .contains("kiln release bake --role cpu --arch arm64");
    assertThat(refused.out()).doesNotContain("\tat ");

    String arm = estate.bake("3.2", "cpu", "arm64");
    Run deployed = kiln(estate, "deploy", "--role", "cpu", "--ami", arm, "--drain-timeout", "5s");
    assertThat(deployed.exit()).as(deployed.out()).isZero();
    assertThat(new ReleaseLog(estate.s3(), estate.opsBucket()).newest(2))
        .extracting(ReleaseRecord::role, ReleaseRecord::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cpu", Outcome.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("cpu", Outcome.FAILED));
  }

  @Test
  void bakesWithPackerAndRecordsTheAmi(@TempDir Path packer) throws Exception {
    MotoEstateAccess estate = MotoEstateAccess.create(moto);
    Files.createDirectory(packer.resolve("web"));
    Path fakePacker = packer.resolve("fake-packer");
    Files.writeString(
        fakePacker,
        "#!/bin/sh\n"
            + "echo '1,,ui,say,==> amazon-ebs.web: baking'\n"
            + "echo '2,amazon-ebs.web,artifact,0,id,us-east-1:ami-0baked'\n");
    fakePacker.toFile().setExecutable(true);

    Run bake =
        kiln(
            estate,
            "bake",
            "--role",
            "web",
            "--packer-dir",
            packer.toString(),
            "--packer",
            fakePacker.toString(),
            "--kiln-version",
            "3.1",
            "--git-commit",
            "abc123");

    assertThat(bake.exit()).as(bake.out()).isZero();
    assertThat(new ReleaseLog(estate.s3(), estate.opsBucket()).newest(1))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.action()).isEqualTo("bake");
              assertThat(record.ami()).isEqualTo("ami-0baked");
              assertThat(record.reason()).contains("3.1", "abc123");
            });
  }
}
