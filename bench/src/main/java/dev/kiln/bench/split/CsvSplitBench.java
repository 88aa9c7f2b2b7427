package dev.kiln.bench.split;

import dev.kiln.agent.processor.Csv;
import dev.kiln.model.plan.ByteSource;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RecordReader;
import dev.kiln.model.plan.RecordSyntax;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * What splitting CSV by quotes costs against splitting by lines: an in-memory CSV file cut into
 * shards and read by every shard's reader, by the line rule and by the CSV rule, then the CSV rule
 * over a file where one row in ten has a quoted field with line breaks, then the same with every
 * record parsed by FastCSV. Prints the conditions and MB/s (best of the repetitions).
 *
 * <pre>java -cp ... dev.kiln.bench.split.CsvSplitBench [fileMiB] [shardKiB] [reps]</pre>
 */
public final class CsvSplitBench {
  private static final int MAX_RECORD_BYTES = 1 << 20;

  private CsvSplitBench() {}

  public static void main(String[] args) throws IOException {
    int fileMib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int shardKib = args.length > 1 ? Integer.parseInt(args[1]) : 8 * 1024;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    byte[] plain = file(fileMib, 0);
    byte[] multiline = file(fileMib, 10);
    System.out.printf(
        Locale.ROOT,
        "csv split bench: file %d MiB, shards %d KiB, maxRecordBytes %d, best of %d; java %s,"
            + " %d cores, heap %d MiB%n",
        fileMib,
        shardKib,
        MAX_RECORD_BYTES,
        reps,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    long shardBytes = shardKib * 1024L;
    report("lines rule, plain file", plain, shardBytes, RecordSyntax.LINES, false, reps);
    report("csv rule, plain file", plain, shardBytes, RecordSyntax.CSV, false, reps);
    report("csv rule, 10% multiline rows", multiline, shardBytes, RecordSyntax.CSV, false, reps);
    report("lines rule + FastCSV fields", plain, shardBytes, RecordSyntax.LINES, true, reps);
    report("csv rule + FastCSV fields", multiline, shardBytes, RecordSyntax.CSV, true, reps);
  }

  private static void report(
      String name, byte[] file, long shardBytes, RecordSyntax syntax, boolean parse, int reps)
      throws IOException {
    double best = Double.MAX_VALUE;
    Result result = null;
    for (int rep = 0; rep < reps; rep++) {
      long started = System.nanoTime();
      result = splitAll(file, shardBytes, syntax, parse);
      best = Math.min(best, (System.nanoTime() - started) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "  %-32s %8.1f MB/s  %,d records, %d shards, %d scanned from the file start%n",
        name,
        file.length / 1e6 / best,
        result.records(),
        result.shards(),
        result.scans());
  }

  record Result(long records, int shards, int scans, long fields) {}

  private static Result splitAll(byte[] file, long shardBytes, RecordSyntax syntax, boolean parse)
      throws IOException {
    ByteSource source =
        offset -> new ByteArrayInputStream(file, (int) offset, file.length - (int) offset);
    long records = 0;
    long fields = 0;
    int shards = 0;
    int scans = 0;
    for (long start = 0; start < file.length; start += shardBytes) {
      shards++;
      try (RecordReader reader =
          new RecordReader(
              source,
              start,
              Math.min(file.length, start + shardBytes),
              syntax,
              true,
              MAX_RECORD_BYTES)) {
        for (LineRecord record = reader.next(); record != null; record = reader.next()) {
          records++;
          if (parse) {
            fields += Csv.split(record.text()).size();
          }
        }
        scans += reader.scannedFromFileStart() ? 1 : 0;
      }
    }
    return new Result(records, shards, scans, fields);
  }

  /**
   * About {@code mib} MiB of CSV; {@code multilinePercent} of the rows hold a quoted line break.
   */
  private static byte[] file(int mib, int multilinePercent) {
    Random random = new Random(42);
    StringBuilder csv = new StringBuilder("id,name,score,comment\n");
    long target = mib * 1024L * 1024L;
    for (long row = 0; csv.length() < target; row++) {
      csv.append(row).append(",name").append(random.nextInt(100_000)).append(',');
      csv.append(random.nextInt(1000) / 10.0).append(',');
      if (random.nextInt(100) < multilinePercent) {
        csv.append("\"first line, with a comma\nsecond \"\"quoted\"\" line\"");
      } else {
        csv.append("a plain comment of some length");
      }
      csv.append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }
}
