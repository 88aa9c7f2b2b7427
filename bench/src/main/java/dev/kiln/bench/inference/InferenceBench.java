package dev.kiln.bench.inference;

import dev.kiln.agent.PlainLoopBaseline;
import dev.kiln.agent.demo.DemoData;
import dev.kiln.agent.demo.DemoModel;
import dev.kiln.agent.tf.TfThreads;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.JobView;
import dev.kiln.local.LocalPlatform;
import dev.kiln.local.LocalSettings;
import dev.kiln.model.JobParams;
import dev.kiln.testkit.Trees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How fast Kiln scores a file against the loop a person would write by hand: the same demo CSV
 * through (a) {@link PlainLoopBaseline} in one JVM reading the local file, and (b) the whole local
 * platform (upload through the API's presigned URLs, planning, agents reading S3 and writing parts,
 * assembly) with one agent per core, timed from the start of the upload until the job is {@code
 * SUCCEEDED}. The two run alternately after a warm-up. Prints both figures, their ratio and the
 * conditions; exits 1 when a run's output is wrong, 0 otherwise (the ratio is reported, not
 * enforced, since a shared machine's load moves it).
 */
public final class InferenceBench {
  /** Kiln must reach this share of the plain loop's rows per second. */
  static final double TARGET_RATIO = 0.90;

  /** The agents' heap limit, as {@link LocalPlatform} starts them. */
  static final String AGENT_HEAP = "1g";

  /**
   * TensorFlow's threads in each of the plain loop's sessions: one session per core, each over a
   * slice of the file, one intra-op thread each and every op on the calling thread (faster than a
   * hand-off for a small model, and than one session with an intra-op pool over every core).
   */
  static final TfThreads PLAIN_THREADS = new TfThreads(1, -1);

  private final BenchOptions options;
  private final PrintStream console;

  private InferenceBench(BenchOptions options, PrintStream console) {
    this.options = options;
    this.console = console;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new InferenceBench(options, System.out).run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    String loadBefore = loadAverage();
    Path work = options.workDir();
    Files.createDirectories(work);
    String javacpp =
        System.getProperty("org.bytedeco.javacpp.cachedir", work.resolve("javacpp").toString());

    long rows = rowsFor(options.inputBytes());
    Path input = work.resolve("iris-" + rows + ".csv");
    long started = System.nanoTime();
    if (!Files.exists(input)) {
      DemoData.write(work.resolve("input.tmp"), rows, false, 42);
      Files.move(work.resolve("input.tmp"), input);
      console.printf(
          Locale.ROOT, "generated %s in %.1f s%n", input.getFileName(), seconds(started));
    }
    long inputBytes = Files.size(input);
    long warmRows =
        Math.max(options.agents() * 4L * options.batchSize(), Math.min(rows / 10, 3_000_000));
    Path warmInput = DemoData.write(work.resolve("warm-up.csv"), warmRows, false, 7);
    Path modelZip = DemoModel.buildZip(work.resolve("model"), work.resolve("demo-model.zip"));

    LocalSettings settings =
        new LocalSettings(
            work.resolve("platform"),
            0,
            0,
            options.agents(),
            options.agents(),
            System.getProperty("java.class.path"),
            Path.of(javacpp));
    Trees.delete(settings.dataDir());
    List<PlainLoopBaseline.Measurement> plains = new ArrayList<>();
    List<PlatformRun.Measurement> platforms = new ArrayList<>();
    List<AgentHeap.Reading> heap;
    List<Double> plainCpuSeconds = new ArrayList<>();
    List<Double> kilnCpuSeconds = new ArrayList<>();
    OutputVerifier.Result check = null;
    Map<String, String> agentEnvironment;
    try (LocalPlatform platform = LocalPlatform.start(settings)) {
      KilnClient client = platform.client();
      UUID model = client.upload(modelZip).id();
      console.printf(
          Locale.ROOT,
          "platform up: %s, %d agents %s%n",
          platform.apiUrl(),
          platform.fleet().size(),
          platform.fleet().pids());
      agentEnvironment = agentEnvironment(platform.fleet().pids().get(0));

      console.printf(Locale.ROOT, "warm-up: %,d rows through both sides%n", warmRows);
      PlainLoopRun.run(
          modelZip,
          warmInput,
          options.batchSize(),
          PLAIN_THREADS,
          options.plainSessions(),
          AGENT_HEAP,
          javacpp);
      PlatformRun.run(
          client,
          warmInput,
          model,
          Math.max(JobParams.MIN_SHARD_BYTES, Files.size(warmInput) / (options.agents() * 2L)),
          options.batchSize(),
          Duration.ofMinutes(10));

      try (AgentHeap agentHeap = new AgentHeap(platform.fleet().pids())) {
        agentHeap.resetPeaks();
        Set<Long> agentPids = Set.copyOf(platform.fleet().pids());
        for (int rep = 1; rep <= options.repetitions(); rep++) {
          CpuMeter.Snapshot beforePlain = CpuMeter.now(agentPids);
          PlainLoopBaseline.Measurement plain =
              PlainLoopRun.run(
                  modelZip,
                  input,
                  options.batchSize(),
                  PLAIN_THREADS,
                  options.plainSessions(),
                  AGENT_HEAP,
                  javacpp);
          double plainCpu = CpuMeter.now(agentPids).minus(beforePlain).reaped();
          plainCpuSeconds.add(plainCpu);
          requireRows("the plain loop", plain.rows(), rows);
          plains.add(plain);
          console.printf(
              Locale.ROOT,
              "rep %d plain loop: %,d rows in %.1f s = %,.0f rows/s; %.1f CPU-s%n",
              rep,
              plain.rows(),
              plain.seconds(),
              plain.rowsPerSecond(),
              plainCpu);

          CpuMeter.Snapshot beforeKiln = CpuMeter.now(agentPids);
          PlatformRun.Measurement kiln =
              PlatformRun.run(
                  client,
                  input,
                  model,
                  options.shardBytes(),
                  options.batchSize(),
                  Duration.ofHours(2));
          CpuMeter.Snapshot kilnCpu = CpuMeter.now(agentPids).minus(beforeKiln);
          kilnCpuSeconds.add(kilnCpu.platform());
          requireRows("the platform", kiln.rows(), rows);
          platforms.add(kiln);
          JobView.Timings timings = kiln.job().timings();
          console.printf(
              Locale.ROOT,
              "rep %d kiln phases: upload %.1f s, submitted to planned %.1f s, planned to"
                  + " SUCCEEDED %.1f s (shards and assembly)%n",
              rep,
              kiln.uploadSeconds(),
              Duration.between(timings.createdAt(), timings.startedAt()).toMillis() / 1e3,
              Duration.between(timings.startedAt(), timings.finishedAt()).toMillis() / 1e3);
          console.printf(
              Locale.ROOT,
              "rep %d kiln: %,d rows in %.1f s (upload %.1f s, job %.1f s, %d shards, %.1f"
                  + " agent-seconds) = %,.0f rows/s, ratio %.3f; %.1f CPU-s (agents %.1f, the"
                  + " platform JVM with API, scheduler, S3Proxy and client %.1f, PostgreSQL and"
                  + " Redis %.1f)%n",
              rep,
              kiln.rows(),
              kiln.totalSeconds(),
              kiln.uploadSeconds(),
              kiln.jobSeconds(),
              kiln.job().progress().shardsTotal(),
              kiln.job().cost() == null ? 0.0 : kiln.job().cost().agentSeconds(),
              kiln.rowsPerSecond(),
              kiln.rowsPerSecond() / plain.rowsPerSecond(),
              kilnCpu.platform(),
              kilnCpu.agents(),
              kilnCpu.self(),
              kilnCpu.children());
        }
        heap = agentHeap.read();
      }
      if (options.fullCheck()) {
        PlatformRun.Measurement last = platforms.get(platforms.size() - 1);
        Path output = work.resolve("kiln-output.csv");
        client.downloadOutput(last.job().id(), 0, output);
        check = OutputVerifier.verify(input, output);
        Files.deleteIfExists(output);
        console.printf(
            Locale.ROOT,
            "output check of the last kiln run: %,d rows in input order, %,d classes equal to"
                + " the reference%s%n",
            check.rows(),
            check.classesAgreeing(),
            check.passed() ? "" : "; FAILED: " + check.problem());
      }
    } finally {
      keepLogs(settings.dataDir().resolve("logs"), work.resolve("agent-logs"));
      Trees.delete(settings.dataDir());
    }
    String loadAfter = loadAverage();
    printSummary(
        rows, inputBytes, plains, platforms, heap, agentEnvironment, loadBefore, loadAfter);
    console.printf(
        Locale.ROOT,
        "  CPU per million rows: plain loop %.2f CPU-s, kiln %.2f CPU-s (all processes of the"
            + " platform, from the kernel's accounting)%n",
        plainCpuSeconds.stream().mapToDouble(Double::doubleValue).sum()
            * 1e6
            / (rows * plains.size()),
        kilnCpuSeconds.stream().mapToDouble(Double::doubleValue).sum()
            * 1e6
            / (rows * platforms.size()));
    return check == null || check.passed();
  }

  private void printSummary(
      long rows,
      long inputBytes,
      List<PlainLoopBaseline.Measurement> plains,
      List<PlatformRun.Measurement> platforms,
      List<AgentHeap.Reading> heap,
      Map<String, String> agentEnvironment,
      String loadBefore,
      String loadAfter) {
    double plainRate =
        plains.stream()
            .mapToDouble(PlainLoopBaseline.Measurement::rowsPerSecond)
            .average()
            .orElse(0);
    double kilnRate =
        platforms.stream().mapToDouble(PlatformRun.Measurement::rowsPerSecond).average().orElse(0);
    double ratio = kilnRate / plainRate;
    long peakHeap = heap.stream().mapToLong(AgentHeap.Reading::peakUsedBytes).max().orElse(0);
    console.println();
    console.println("== inference benchmark ==");
    console.printf(
        Locale.ROOT, "plain loop  %,12.0f rows/s (mean of %d)%n", plainRate, plains.size());
    console.printf(
        Locale.ROOT, "kiln        %,12.0f rows/s (mean of %d)%n", kilnRate, platforms.size());
    console.printf(
        Locale.ROOT,
        "ratio       %12.3f (target %.2f: %s)%n",
        ratio,
        TARGET_RATIO,
        ratio >= TARGET_RATIO ? "reached" : "NOT reached");
    console.printf(
        Locale.ROOT,
        "agent heap  peak %.0f MiB of -Xmx%s (%s)%n",
        peakHeap / 1048576.0,
        AGENT_HEAP,
        peakHeap < (1L << 30) ? "under 1 GiB" : "NOT under 1 GiB");
    console.println("conditions:");
    console.printf(
        Locale.ROOT,
        "  cores %d, %s %s, load average before [%s] after [%s]%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        loadBefore,
        loadAfter);
    console.printf(
        Locale.ROOT,
        "  input %,d bytes, %,d rows of demo iris CSV; batch size %d on both sides%n",
        inputBytes,
        rows,
        options.batchSize());
    console.printf(
        Locale.ROOT,
        "  kiln: %d agents (-Xmx%s each), shard size %,d bytes (%d shards), TensorFlow on CPU"
            + " (tensorflow-core-native linux-x86_64), agent settings %s%n",
        options.agents(),
        AGENT_HEAP,
        options.shardBytes(),
        platforms.isEmpty() ? 0 : platforms.get(0).job().progress().shardsTotal(),
        agentSettings(agentEnvironment));
    console.printf(
        Locale.ROOT,
        "  plain loop: one JVM (-Xmx%s) running PlainLoopBaseline over the local file in %d"
            + " slices at once, one model session each, output discarded, TensorFlow %s per"
            + " session%n",
        AGENT_HEAP,
        options.plainSessions(),
        PLAIN_THREADS.describe());
    for (AgentHeap.Reading reading : heap) {
      console.printf(
          Locale.ROOT,
          "  agent pid %d heap: peak used %.0f MiB (sum of heap pool peaks over the measured"
              + " runs, read over JMX), committed %.0f MiB, max %.0f MiB, GC time %.1f s%n",
          reading.pid(),
          reading.peakUsedBytes() / 1048576.0,
          reading.committedBytes() / 1048576.0,
          reading.maxBytes() / 1048576.0,
          reading.gcMillis() / 1000.0);
    }
  }

  private static void keepLogs(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    Trees.delete(to);
    Files.createDirectories(to);
    try (var logs = Files.list(from)) {
      for (Path log : logs.toList()) {
        Files.copy(log, to.resolve(log.getFileName()));
      }
    }
  }

  private static Map<String, String> agentSettings(Map<String, String> fromLocalMode) {
    Map<String, String> settings = new TreeMap<>(fromLocalMode);
    System.getenv()
        .forEach(
            (name, value) -> {
              if (name.startsWith("KILN_AGENT_") || name.startsWith("TF_NUM_")) {
                settings.put(name, value);
              }
            });
    return settings;
  }

  /** The {@code KILN_AGENT_*} variables an agent process runs with (local mode sets some). */
  private static Map<String, String> agentEnvironment(long pid) {
    Map<String, String> settings = new TreeMap<>();
    try {
      String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
      for (String entry : environ.split("\0")) {
        int equals = entry.indexOf('=');
        if (entry.startsWith("KILN_AGENT_TF_") && equals > 0) {
          settings.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
      }
    } catch (IOException e) {
      settings.put("environment", "unreadable: " + e.getMessage());
    }
    return settings;
  }

  private static void requireRows(String side, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(
          side + " scored " + actual + " rows of " + expected + "; the run does not count");
    }
  }

  /** How many demo rows make about {@code bytes}. */
  static long rowsFor(long bytes) throws IOException {
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    DemoData.write(sample, 100_000, false, 7);
    double perRow = (sample.size() - DemoData.CSV_HEADER.length() - 1) / 100_000.0;
    return Math.max(1, Math.round(bytes / perRow));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
