package dev.kiln.bench.inference;

import dev.kiln.agent.PlainLoopBaseline;
import dev.kiln.agent.tf.TfThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link PlainLoopBaseline} (the hand-written TensorFlow loop, one session per core over
 * slices of the file) in a fresh JVM with the agent's heap limit, so it owns the machine as the
 * agents do, and reads its figures.
 */
final class PlainLoopRun {
  private static final Pattern LINE =
      Pattern.compile("mode=plain rows=(\\d+) seconds=([0-9.]+) rows_per_second=.*");

  private PlainLoopRun() {}

  static PlainLoopBaseline.Measurement run(
      Path modelZip,
      Path input,
      int batchSize,
      TfThreads threads,
      int sessions,
      String heap,
      String javacppCacheDir)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("-Dorg.bytedeco.javacpp.cachedir=" + javacppCacheDir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PlainLoopBaseline.class.getName());
    command.add(modelZip.toString());
    command.add(input.toString());
    command.add(Integer.toString(batchSize));
    command.add("--intra-op");
    command.add(Integer.toString(threads.intraOp()));
    command.add("--inter-op");
    command.add(Integer.toString(threads.interOp()));
    command.add("--sessions");
    command.add(Integer.toString(sessions));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = process.waitFor();
    // the figures are the last line; logging set-up may print status lines before them
    String[] lines = output.strip().split("\\R");
    Matcher matcher = LINE.matcher(lines[lines.length - 1].strip());
    if (status != 0 || !matcher.matches()) {
      throw new IllegalStateException(
          "the plain loop exited with " + status + " and printed: " + output.strip());
    }
    return new PlainLoopBaseline.Measurement(
        "plain", Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)));
  }
}
