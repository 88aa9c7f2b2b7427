package dev.kiln.agent;

import dev.kiln.agent.processor.Processors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;

/**
 * Run in a JVM of its own by {@link StartWithoutTensorFlowTest}: starts the agent's processors the
 * way {@link AgentMain} does (discovery, then the description the agent registers with), for the
 * processors named in the arguments, and prints every TensorFlow library this process has mapped.
 */
public final class NativeLibraryProbe {
  private NativeLibraryProbe() {}

  public static void main(String[] args) throws Exception {
    try (Processors processors = Processors.discover(new LinkedHashSet<>(Arrays.asList(args)))) {
      AgentMetadata metadata = AgentMain.describe(Optional.empty(), processors);
      System.out.println("processors " + metadata.processors());
      Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .filter(line -> line.contains("tensorflow"))
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .distinct()
          .forEach(library -> System.out.println("mapped " + library));
    }
  }
}
