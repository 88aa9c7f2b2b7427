package dev.kiln.local;

import dev.kiln.agent.demo.DemoData;
import dev.kiln.agent.demo.DemoModel;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One job end to end on a running platform: generates the demo input, uploads it (and the demo
 * model), submits a job of at least {@link #MIN_SHARDS} shards, shows its progress, checks the
 * output record by record and prints the job's figures.
 */
final class Demo {
  static final int MIN_SHARDS = 8;

  /** The demo's smallest shard, so its few megabytes still make shards worth a lease. */
  private static final long MIN_DEMO_SHARD_BYTES = 64L * 1024;

  private final LocalPlatform platform;
  private final Path workDir;
  private final PrintStream console;
  private final boolean terminal;

  /**
   * @param terminal whether {@code console} is a terminal: the progress bar redraws one line there,
   *     and prints a line every few seconds elsewhere
   */
  Demo(LocalPlatform platform, Path workDir, PrintStream console, boolean terminal) {
    this.platform = platform;
    this.workDir = workDir;
    this.console = console;
    this.terminal = terminal;
  }

  /** Runs the demo; returns true when the output matched the input. */
  boolean run(long inputBytes, String processor, Duration timeout) throws IOException {
    Files.createDirectories(workDir);
    KilnClient client = platform.client();

    Path input = workDir.resolve("demo-input.csv");
    long started = System.nanoTime();
    long rows = rowsFor(inputBytes);
    console.printf(Locale.ROOT, "generating %,d rows of demo input...%n", rows);
    DemoData.write(input, rows, false, 42);
    long size = Files.size(input);
    console.printf(
        Locale.ROOT,
        "generated %s: %,d rows, %s in %.1f s%n",
        input.getFileName(),
        rows,
        megabytes(size),
        seconds(started));

    UUID model = null;
    if (processor.equals("tf-savedmodel")) {
      console.println("building and uploading the demo model...");
      Path zip = DemoModel.buildZip(workDir.resolve("model"), workDir.resolve("demo-model.zip"));
      model = client.upload(zip).id();
      console.println("uploaded the demo model (" + megabytes(Files.size(zip)) + ")");
    }
    console.println("uploading the input (" + megabytes(size) + ")...");
    long uploadStart = System.nanoTime();
    FileView file = client.upload(input);
    console.printf(Locale.ROOT, "uploaded the input in %.1f s%n", seconds(uploadStart));

    long shardBytes = Math.max(MIN_DEMO_SHARD_BYTES, size / (MIN_SHARDS * 2L));
    JobParams params = new JobParams(shardBytes, null, "csv", null, null, null);
    long submitted = System.nanoTime();
    JobView job =
        client.submit(new JobCreateRequest(processor, List.of(file.id()), model, params, 0), null);
    console.println("submitted job " + job.id() + " (" + processor + ")");
    job = follow(client, job, rows, timeout);
    double jobSeconds = seconds(submitted);
    if (job.state() != JobState.SUCCEEDED) {
      console.println("the job ended " + job.state() + ": " + job.failureReason());
      return false;
    }

    console.println("downloading the output...");
    long downloadStart = System.nanoTime();
    Path output = client.downloadOutput(job.id(), 0, workDir.resolve("demo-output"));
    console.printf(
        Locale.ROOT,
        "downloaded %s in %.1f s%n",
        megabytes(Files.size(output)),
        seconds(downloadStart));
    console.printf(
        Locale.ROOT,
        "checking the output against the input, record by record%s...%n",
        processor.equals("tf-savedmodel")
            ? ", and every prediction against the model's arithmetic"
            : "");
    long checkStart = System.nanoTime();
    OutputCheck.Result check = OutputCheck.check(input, output, processor);
    console.printf(Locale.ROOT, "checked in %.1f s%n", seconds(checkStart));
    printFigures(job, size, jobSeconds, check);
    return check.recordsMatch() && check.predictionsMatch();
  }

  private JobView follow(KilnClient client, JobView job, long rows, Duration timeout) {
    ProgressBar bar = new ProgressBar(console, terminal, rows, System::nanoTime);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!job.state().isTerminal() && System.nanoTime() < deadline) {
      bar.show(job);
      sleep(250);
      job = client.job(job.id());
    }
    bar.finish(job);
    return job;
  }

  private void printFigures(
      JobView job, long inputBytes, double seconds, OutputCheck.Result check) {
    console.printf(
        Locale.ROOT,
        "job %s %s: %d shards, %,d records (%,d errors), %.1f s end to end, %.1f MB/s, %.1f"
            + " agent-seconds%n",
        job.id(),
        job.state(),
        job.progress().shardsTotal(),
        job.progress().records(),
        job.progress().errors(),
        seconds,
        inputBytes / 1e6 / seconds,
        job.cost() == null ? 0.0 : job.cost().agentSeconds());
    console.printf(
        Locale.ROOT,
        "output check: %,d input records, %,d out of place or missing%s%n",
        check.records(),
        check.mismatches(),
        check.firstProblem() == null ? "" : " (" + check.firstProblem() + ")");
    if (check.predictionsChecked() > 0) {
      console.printf(
          Locale.ROOT,
          "predictions equal to the reference classifier: %,d of %,d; %,d more at a tie within"
              + " float rounding (either class is right); %,d wrong%n",
          check.predictionsAgreeing(),
          check.predictionsChecked(),
          check.predictionsAtTies(),
          check.predictionsChecked() - check.predictionsAgreeing() - check.predictionsAtTies());
    }
  }

  /** How many demo rows make about {@code bytes}. */
  static long rowsFor(long bytes) throws IOException {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    DemoData.write(sample, 10_000, false, 7);
    double perRow = (sample.size() - DemoData.CSV_HEADER.length() - 1) / 10_000.0;
    return Math.max(MIN_SHARDS, Math.round(bytes / perRow));
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
