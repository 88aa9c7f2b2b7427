package dev.kiln.cli.release;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs {@code packer build} for one role and returns the AMI it made. */
public final class PackerBake {

  private final Path packerRoot;
  private final String packerExecutable;
  private final Consumer<String> progress;

  public PackerBake(Path packerRoot, String packerExecutable, Consumer<String> progress) {
    this.packerRoot = packerRoot;
    this.packerExecutable = packerExecutable;
    this.progress = progress;
  }

  /**
   * The command line that bakes {@code role} ({@code web}, {@code gpu} or {@code cpu}: {@code
   * packer/<role>}).
   */
  public List<String> command(String role, String region, String kilnVersion, String gitCommit) {
    return command(role, region, kilnVersion, gitCommit, Optional.empty());
  }

  /**
   * The same, for the machines {@code arch} names ({@code arm64} or {@code x86_64}; the CPU image
   * only, whose template has an {@code arch} variable); empty keeps the template's default.
   */
  public List<String> command(
      String role, String region, String kilnVersion, String gitCommit, Optional<String> arch) {
    if (arch.isPresent() && !role.equals("cpu")) {
      throw new IllegalArgumentException(
          "only the cpu image is baked for a chosen architecture; the "
              + role
              + " image is x86_64");
    }
    if (arch.isPresent() && !List.of("arm64", "x86_64").contains(arch.get())) {
      throw new IllegalArgumentException("--arch is arm64 or x86_64, not " + arch.get());
    }
    Path template = packerRoot.resolve(role);
    if (!Files.isDirectory(template)) {
      throw new IllegalArgumentException("no Packer template for role " + role + " in " + template);
    }
    List<String> command = new ArrayList<>();
    command.add(packerExecutable);
    command.add("build");
    command.add("-machine-readable");
    command.add("-var");
    command.add("region=" + region);
    command.add("-var");
    command.add("kiln_version=" + kilnVersion);
    command.add("-var");
    command.add("git_commit=" + gitCommit);
    arch.ifPresent(
        machine -> {
          command.add("-var");
          command.add("arch=" + machine);
        });
    command.add(template.toString());
    return command;
  }

  /** Runs the build, streaming Packer's messages, and returns the AMI id. */
  public String bake(String role, String region, String kilnVersion, String gitCommit)
      throws IOException, InterruptedException {
    return bake(role, region, kilnVersion, gitCommit, Optional.empty());
  }

  /** Runs the build for the machines {@code arch} names (see {@link #command}). */
  public String bake(
      String role, String region, String kilnVersion, String gitCommit, Optional<String> arch)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command(role, region, kilnVersion, gitCommit, arch))
            .directory(packerRoot.toFile())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        uiMessage(line).ifPresent(progress);
      }
    }
    int exit = process.waitFor();
    Optional<String> ami = amiFrom(lines, region);
    if (exit != 0 || ami.isEmpty()) {
      throw new IllegalStateException(
          "packer build for role " + role + " failed (exit " + exit + "), no AMI produced");
    }
    return ami.get();
  }

  /**
   * The AMI in Packer's machine-readable output: {@code
   * <time>,<build>,artifact,0,id,<region>:<ami>} (several regions are comma-separated in the last
   * field).
   */
  public static Optional<String> amiFrom(List<String> lines, String region) {
    for (String line : lines) {
      String[] fields = line.split(",", 6);
      if (fields.length == 6 && fields[2].equals("artifact") && fields[4].equals("id")) {
        for (String artifact : fields[5].split("%!\\(PACKER_COMMA\\)|,")) {
          String[] parts = artifact.split(":", 2);
          if (parts.length == 2 && parts[0].equals(region) && parts[1].startsWith("ami-")) {
            return Optional.of(parts[1]);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> uiMessage(String line) {
    String[] fields = line.split(",", 5);
    if (fields.length == 5 && fields[2].equals("ui")) {
      return Optional.of(fields[4].replace("%!(PACKER_COMMA)", ",").replace("\\n", "\n"));
    }
    return Optional.empty();
  }
}
