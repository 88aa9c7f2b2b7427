package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release bake}: run Packer for one role and record the AMI. */
@Command(
    name = "bake",
    mixinStandardHelpOptions = true,
    description = "Bake a golden AMI with Packer (packer/<role>) and record it.")
final class BakeCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(names = "--role", required = true, description = "web, gpu or cpu")
  Role role;

  @Option(names = "--packer-dir", defaultValue = "packer", description = "Packer templates.")
  Path packerDir;

  @Option(names = "--packer", defaultValue = "packer", description = "The packer executable.")
  String packer;

  @Option(names = "--kiln-version", required = true, description = "Version baked into the AMI.")
  String kilnVersion;

  @Option(names = "--git-commit", required = true, description = "Commit baked into the AMI.")
  String gitCommit;

  @Option(
      names = "--arch",
      description =
          "cpu only: the machines the image is for, arm64 (Graviton, the template's default) or"
              + " x86_64; the group's instance types must run it.")
  String arch;

  @Override
  public Integer call() throws Exception {
    try (AwsClients clients = release.clients()) {
      try {
        String ami =
            new PackerBake(packerDir.toAbsolutePath(), packer, release::progress)
                .bake(
                    role.name(),
                    release.region,
                    kilnVersion,
                    gitCommit,
                    java.util.Optional.ofNullable(arch));
        return release.record(
            clients,
            "bake",
            role.name(),
            new StepResult(
                Outcome.SUCCEEDED,
                ami,
                null,
                null,
                "baked " + ami + " (kiln " + kilnVersion + ", commit " + gitCommit + ")"));
      } catch (RuntimeException | java.io.IOException e) {
        return release.recordFailure(clients, "bake", role.name(), null, e);
      }
    }
  }
}
