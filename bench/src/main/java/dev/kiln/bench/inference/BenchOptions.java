package dev.kiln.bench.inference;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The benchmark's command line.
 *
 * @param inputBytes about how much demo CSV to score ({@code --size}, default 1GB)
 * @param repetitions how many times each side runs, alternately ({@code --reps})
 * @param agents agent processes ({@code --agents}, default one per core)
 * @param batchSize rows per TensorFlow call on both sides ({@code --batch-size})
 * @param shardBytes the job's shard size ({@code --shard-bytes}; 0: input size / (agents x 8))
 * @param workDir input, model and output files ({@code --work-dir})
 * @param fullCheck whether the last platform run's output is checked row by row ({@code --check
 *     full}) or only its row count ({@code --check count})
 * @param plainSessions threads of the plain loop, each with its own model session over a slice of
 *     the file ({@code --plain-sessions}, default one per core)
 */
record BenchOptions(
    long inputBytes,
    int repetitions,
    int agents,
    int batchSize,
    long shardBytes,
    Path workDir,
    boolean fullCheck,
    int plainSessions) {
  static final String USAGE =
      "usage: run-inference-bench.sh [--size 1GB] [--reps 1] [--agents N] [--batch-size 256]"
          + " [--shard-bytes BYTES, e.g. 1MiB or 64MiB] [--work-dir DIR] [--check full|count]"
          + " [--plain-sessions N]";

  static BenchOptions parse(String[] args) {
    long size = 1_000_000_000L;
    int reps = 1;
    int agents = Runtime.getRuntime().availableProcessors();
    int batch = 256;
    long shard = 0;
    Path work = Path.of("bench/target/inference");
    boolean full = true;
    int plainSessions = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
      }
      switch (args[i++]) {
        case "--size" -> size = parseSize(value);
        case "--reps" -> reps = Integer.parseInt(value);
        case "--agents" -> agents = Integer.parseInt(value);
        case "--batch-size" -> batch = Integer.parseInt(value);
        case "--shard-bytes" -> shard = parseSize(value);
        case "--work-dir" -> work = Path.of(value);
        case "--check" -> full = value.equals("full");
        case "--plain-sessions" -> plainSessions = Integer.parseInt(value);
        default ->
            throw new IllegalArgumentException("unknown option " + args[i - 1] + "; " + USAGE);
      }
    }
    if (shard == 0) {
      long shards = agents * 16L;
      shard = Math.max(5L << 20, (size + shards - 1) / shards);
    }
    return new BenchOptions(
        size, reps, agents, batch, shard, work.toAbsolutePath(), full, plainSessions);
  }

  /** Reads {@code 200MB}, {@code 1GB}, {@code 64MiB} or a byte count. */
  static long parseSize(String text) {
    String value = text.trim().toUpperCase(Locale.ROOT);
    String[] suffixes = {"GIB", "MIB", "KIB", "GB", "MB", "KB", "B"};
    long[] units = {1L << 30, 1L << 20, 1L << 10, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    for (int i = 0; i < suffixes.length; i++) {
      if (value.endsWith(suffixes[i])) {
        String number = value.substring(0, value.length() - suffixes[i].length()).trim();
        return Math.round(Double.parseDouble(number) * units[i]);
      }
    }
    return Long.parseLong(value);
  }
}
