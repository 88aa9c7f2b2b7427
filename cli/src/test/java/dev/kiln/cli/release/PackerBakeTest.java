package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackerBakeTest {

  @Test
  void findsTheAmiOfTheRegionInMachineReadableOutput() {
    List<String> lines =
        List.of(
            "1700000000,,ui,say,==> amazon-ebs.web: Creating AMI",
            "1700000001,amazon-ebs.web,artifact-count,1",
            "1700000001,amazon-ebs.web,artifact,0,builder-id,mitchellh.amazonebs",
            "1700000001,amazon-ebs.web,artifact,0,id,eu-west-1:ami-0aaa%!(PACKER_COMMA)us-east-1:ami-0bbb",
            "1700000001,amazon-ebs.web,artifact,0,end");

    assertThat(PackerBake.amiFrom(lines, "us-east-1")).contains("ami-0bbb");
    assertThat(PackerBake.amiFrom(lines, "eu-west-1")).contains("ami-0aaa");
    assertThat(PackerBake.amiFrom(lines, "ap-south-1")).isEmpty();
  }

  @Test
  void buildsTheRoleDirectoryWithVersionAndCommit(@TempDir Path packer) throws Exception {
    Files.createDirectory(packer.resolve("gpu"));
    PackerBake bake = new PackerBake(packer, "packer", line -> {});

    assertThat(bake.command("gpu", "us-east-1", "1.4.0", "abc123"))
        .containsSubsequence("build", "-machine-readable")
        .contains("kiln_version=1.4.0", "git_commit=abc123", "region=us-east-1")
        .endsWith(packer.resolve("gpu").toString());
    assertThatThrownBy(() -> bake.command("web", "us-east-1", "1", "c"))
        .hasMessageContaining("no Packer template for role web");
  }

  @Test
  void passesTheArchitectureToTheCpuTemplateOnly(@TempDir Path packer) throws Exception {
    Files.createDirectory(packer.resolve("cpu"));
    Files.createDirectory(packer.resolve("gpu"));
    PackerBake bake = new PackerBake(packer, "packer", line -> {});

    assertThat(bake.command("cpu", "us-east-1", "1.4.0", "abc123", Optional.of("x86_64")))
        .containsSubsequence("-var", "arch=x86_64")
        .endsWith(packer.resolve("cpu").toString());
    assertThat(bake.command("cpu", "us-east-1", "1.4.0", "abc123"))
        .noneMatch(argument -> argument.startsWith("arch="));
    assertThatThrownBy(() -> bake.command("gpu", "us-east-1", "1", "c", Optional.of("arm64")))
        .hasMessageContaining("the gpu image is x86_64");
    assertThatThrownBy(() -> bake.command("cpu", "us-east-1", "1", "c", Optional.of("aarch64")))
        .hasMessageContaining("arm64 or x86_64");
  }

  @Test
  void failsWhenPackerMakesNoAmi(@TempDir Path packer) throws Exception {
    Files.createDirectory(packer.resolve("web"));
    Path fake = packer.resolve("fake-packer");
    Files.writeString(fake, "#!/bin/sh\necho '1,,ui,error,Build errored'\nexit 1\n");
    fake.toFile().setExecutable(true);

    assertThatThrownBy(
            () ->
                new PackerBake(packer, fake.toString(), line -> {})
                    .bake("web", "us-east-1", "1", "c"))
        .hasMessageContaining("no AMI produced");
  }

  @Test
  void returnsTheAmiAFinishedBuildPrints(@TempDir Path packer) throws Exception {
    Files.createDirectory(packer.resolve("web"));
    Path fake = packer.resolve("fake-packer");
    Files.writeString(
        fake, "#!/bin/sh\necho '1,amazon-ebs.web,artifact,0,id,us-east-1:ami-0123'\nexit 0\n");
    fake.toFile().setExecutable(true);

    assertThat(
            new PackerBake(packer, fake.toString(), line -> {}).bake("web", "us-east-1", "1", "c"))
        .isEqualTo("ami-0123");
  }
}
