package dev.kiln.agent;

import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.OutputSink;
import dev.kiln.agent.tf.BatchInference;
import dev.kiln.agent.tf.LoadedModel;
import dev.kiln.agent.tf.TfSavedModelProcessor;
import dev.kiln.agent.tf.TfThreads;
import dev.kiln.model.InputFormat;
import dev.kiln.model.plan.LineRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Signature;

/**
 * The yardstick for the agent's speed: the loop a person would write by hand to score a local file
 * with a SavedModel (read lines, batch them, run the model, write the predictions), with the same
 * parsing and formatting as {@code tf-savedmodel} but no queue, no S3, no read-ahead. With {@code
 * --pipeline} it runs the same file through the agent's own shard pipeline instead, so a benchmark
 * can compare the two. {@code --intra-op N} and {@code --inter-op N} set TensorFlow's CPU threads
 * as {@link TfThreads} (default: TensorFlow's choice). {@code --sessions N} runs the plain loop on
 * N threads at once, each with a model session of its own over one slice of the file (what a person
 * does to use every core; see {@link ParallelPlainLoop}).
 *
 * <pre>
 * PlainLoopBaseline &lt;model dir or zip&gt; &lt;input .csv or .jsonl&gt; [batchSize] [--pipeline] [--out FILE]
 *     [--intra-op N] [--inter-op N] [--sessions N]
 * </pre>
 *
 * Prints one line: {@code mode=plain rows=... seconds=... rows_per_second=...}.
 */
public final class PlainLoopBaseline {
  private PlainLoopBaseline() {}

  /** The result of one run. */
  public record Measurement(String mode, long rows, double seconds) {
    public double rowsPerSecond() {
      return rows / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "mode=%s rows=%d seconds=%.3f rows_per_second=%.0f",
          mode,
          rows,
          seconds,
          rowsPerSecond());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: PlainLoopBaseline <model dir or zip> <input> [batchSize] [--pipeline] [--out FILE]"
              + " [--intra-op N] [--inter-op N] [--sessions N]");
      System.exit(2);
    }
    Path model = modelDirectory(Path.of(args[0]));
    Path input = Path.of(args[1]);
    int batchSize = 256;
    boolean pipeline = false;
    Path outFile = null;
    int intraOp = 0;
    int interOp = 0;
    int sessions = 1;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--pipeline" -> pipeline = true;
        case "--out" -> outFile = Path.of(args[++i]);
        case "--intra-op" -> intraOp = Integer.parseInt(args[++i]);
        case "--inter-op" -> interOp = Integer.parseInt(args[++i]);
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        default -> batchSize = Integer.parseInt(args[i]);
      }
    }
    if (sessions > 1 && (pipeline || outFile != null)) {
      System.err.println("--sessions runs the plain loop only, and writes no --out file");
      System.exit(2);
    }
    TfThreads threads = new TfThreads(intraOp, interOp);
    try (OutputStream out =
        outFile == null ? OutputStream.nullOutputStream() : Files.newOutputStream(outFile)) {
      Measurement measurement =
          pipeline
              ? pipeline(model, input, batchSize, threads, out)
              : sessions > 1
                  ? ParallelPlainLoop.run(model, input, batchSize, threads, sessions)
                  : plain(model, input, batchSize, threads, out);
      System.out.println(measurement);
    }
  }

  /** Unzips a model zip into a temporary directory; a directory is used as it is. */
  static Path modelDirectory(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return path;
    }
    Path target = Files.createTempDirectory("kiln-model");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(target)));
    try (InputStream in = Files.newInputStream(path)) {
      ModelZip.unpack(in, target, ModelZip.Limits.DEFAULT);
    }
    return target;
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // A temporary directory; the system cleans it up eventually.
    }
  }

  /** The hand-written loop. */
  public static Measurement plain(
      Path modelDir, Path input, int batchSize, TfThreads threads, OutputStream out)
      throws Exception {
    InputFormat format = InputFormat.fromFileName(input.toString());
    long started = System.nanoTime();
    long rows = 0;
    try (LoadedModel model = LoadedModel.load(modelDir, Signature.DEFAULT_KEY, threads);
        BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      List<String> columns = List.of();
      if (format == InputFormat.CSV) {
        columns = Csv.split(reader.readLine());
      }
      model.acquire();
      BatchInference inference =
          new BatchInference(model, format, columns, "id", Set.of(), batchSize);
      OutputSink sink =
          new OutputSink() {
            @Override
            public void write(String record) throws IOException {
              writer.write(record);
              writer.write('\n');
            }

            @Override
            public void error(long offset, String message) {}
          };
      if (format == InputFormat.CSV) {
        sink.write(inference.csvHeader());
      }
      List<LineRecord> batch = new ArrayList<>(batchSize);
      String line;
      long offset = 0;
      while ((line = reader.readLine()) != null) {
        batch.add(new LineRecord(offset++, line));
        if (batch.size() == batchSize) {
          inference.process(batch, sink);
          rows += batch.size();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        inference.process(batch, sink);
        rows += batch.size();
      }
    }
    return new Measurement("plain", rows, (System.nanoTime() - started) / 1e9);
  }

  /** The agent's pipeline over the same file, one shard covering all of it. */
  public static Measurement pipeline(
      Path modelDir, Path input, int batchSize, TfThreads threads, OutputStream out)
      throws Exception {
    InputFormat format = InputFormat.fromFileName(input.toString());
    String header = null;
    if (format == InputFormat.CSV) {
      try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
        header = reader.readLine();
      }
    }
    try (TfSavedModelProcessor processor = new TfSavedModelProcessor(threads)) {
      processor.describe(); // the agent lists its devices once, at start
      long started = System.nanoTime();
      LocalShardRunner.Outcome outcome =
          LocalShardRunner.run(
              processor,
              LocalShardRunner.wholeFileTask(
                  TfSavedModelProcessor.NAME,
                  format.name(),
                  header,
                  Files.size(input),
                  Map.of("batchSize", String.valueOf(batchSize))),
              input,
              ref -> modelDir,
              batchSize,
              1 << 20,
              out,
              OutputStream.nullOutputStream());
      return new Measurement("pipeline", outcome.records(), (System.nanoTime() - started) / 1e9);
    }
  }
}
