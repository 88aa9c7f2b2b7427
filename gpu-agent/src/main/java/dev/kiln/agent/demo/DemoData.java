package dev.kiln.agent.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Generates demo input for {@link DemoModel} of any size: iris-like flowers drawn from each
 * species' mean and standard deviation, with an {@code id} column (0, 1, 2, ... in file order) and
 * the true {@code species}, as CSV with a header or as JSON lines. The same seed gives the same
 * file. Stateless.
 */
public final class DemoData {
  private DemoData() {}

  /** The CSV header line. */
  public static final String CSV_HEADER = "id," + String.join(",", DemoModel.FEATURES) + ",species";

  /** Writes {@code rows} rows as CSV ({@code jsonLines == false}) or JSON lines. */
  public static void write(OutputStream out, long rows, boolean jsonLines, long seed)
      throws IOException {
    Writer writer =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    Random random = new Random(seed);
    if (!jsonLines) {
      writer.write(CSV_HEADER);
      writer.write('\n');
    }
    float[] x = new float[4];
    for (long id = 0; id < rows; id++) {
      int species = random.nextInt(3);
      for (int j = 0; j < 4; j++) {
        float value =
            DemoModel.MEANS[species][j]
                + (float) random.nextGaussian() * DemoModel.STDDEVS[species][j];
        x[j] = Math.max(0.1f, Math.round(value * 10) / 10f);
      }
      writer.write(jsonLines ? json(id, x, species) : csv(id, x, species));
      writer.write('\n');
    }
    writer.flush();
  }

  /** Writes a file and returns its path. */
  public static Path write(Path file, long rows, boolean jsonLines, long seed) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, rows, jsonLines, seed);
    }
    return file;
  }

  private static String csv(long id, float[] x, int species) {
    return String.format(
        Locale.ROOT,
        "%d,%.1f,%.1f,%.1f,%.1f,%s",
        id,
        x[0],
        x[1],
        x[2],
        x[3],
        DemoModel.SPECIES.get(species));
  }

  private static String json(long id, float[] x, int species) {
    return String.format(
        Locale.ROOT,
        "{\"id\":%d,\"sepal_length\":%.1f,\"sepal_width\":%.1f,\"petal_length\":%.1f,"
            + "\"petal_width\":%.1f,\"species\":\"%s\"}",
        id,
        x[0],
        x[1],
        x[2],
        x[3],
        DemoModel.SPECIES.get(species));
  }

  /** {@code DemoData <file> <rows> [csv|jsonl] [seed]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: DemoData <file> <rows> [csv|jsonl] [seed]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    long rows = Long.parseLong(args[1]);
    boolean jsonLines = args.length > 2 && args[2].equalsIgnoreCase("jsonl");
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
    write(file, rows, jsonLines, seed);
    System.out.printf("%d rows written to %s (%d bytes)%n", rows, file, Files.size(file));
  }
}
