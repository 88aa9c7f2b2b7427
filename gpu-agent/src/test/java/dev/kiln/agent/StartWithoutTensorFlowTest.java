package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A CPU agent (parse, checksum) starts without loading TensorFlow's native library: its image may
 * carry a TensorFlow build for another machine (or none that loads on Graviton), and loading it
 * costs start time and memory the group pays for. Each case runs in a JVM of its own, since a
 * library once loaded stays mapped for the life of the process.
 */
class StartWithoutTensorFlowTest {

  private static List<String> probe(String... processors) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cacheDir != null) {
      command.add("-Dorg.bytedeco.javacpp.cachedir=" + cacheDir);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NativeLibraryProbe.class.getName());
    command.addAll(List.of(processors));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the probe ends").isTrue();
      assertThat(process.exitValue()).as(out).isZero();
      return out.lines().toList();
    } catch (IOException | RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  @Test
  void anAgentServingOnlyCpuProcessorsNeverMapsTensorFlow() throws Exception {
    List<String> lines = probe("parse", "checksum");

    assertThat(lines).anySatisfy(line -> assertThat(line).contains("parse", "checksum"));
    assertThat(lines).noneMatch(line -> line.startsWith("mapped "));
  }

  @Test
  void theProbeSeesTensorFlowWhenTheAgentServesTheModelProcessor() throws Exception {
    // The same probe with tf-savedmodel: the agent lists TensorFlow's devices at start, so the
    // library is mapped; without this case the test above could pass by seeing nothing at all.
    List<String> lines = probe("tf-savedmodel");

    assertThat(lines).anyMatch(line -> line.startsWith("mapped ") && line.contains("tensorflow"));
  }
}
