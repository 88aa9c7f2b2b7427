package dev.kiln.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a CSV of flower measurements ({@code id} plus the four Iris features) of about a given
 * size: the input the demo model expects. Deterministic for a seed.
 */
public final class DemoInput {
  /** The header every generated file starts with. */
  public static final String HEADER = "id,sepal_length,sepal_width,petal_length,petal_width";

  private DemoInput() {}

  /** Writes rows until the file reaches {@code targetBytes}; returns the number of rows. */
  public static long write(Path file, long targetBytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long rows = 0;
    long bytes = HEADER.length() + 1;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.write('\n');
      StringBuilder line = new StringBuilder(64);
      while (bytes < targetBytes) {
        line.setLength(0);
        line.append(rows);
        appendFeatures(line, random);
        line.append('\n');
        out.append(line);
        bytes += line.length();
        rows++;
      }
    }
    return rows;
  }

  private static void appendFeatures(StringBuilder line, SplittableRandom random) {
    int species = random.nextInt(3);
    double[][] centres = {{5.0, 3.4, 1.5, 0.2}, {5.9, 2.8, 4.3, 1.3}, {6.6, 3.0, 5.6, 2.0}};
    for (double centre : centres[species]) {
      double value = centre + (random.nextDouble() - 0.5) * 0.8;
      line.append(',').append(String.format(Locale.ROOT, "%.2f", Math.max(0.1, value)));
    }
  }

  /** Parses sizes such as {@code 200MB}, {@code 1.5GB}, {@code 64KiB} or a plain byte count. */
  public static long parseSize(String text) {
    String value = text.trim().toUpperCase(Locale.ROOT).replace("IB", "B");
    long unit = 1;
    for (String[] suffix : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
      if (value.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        value = value.substring(0, value.length() - suffix[0].length()).trim();
        break;
      }
    }
    try {
      long bytes = Math.round(Double.parseDouble(value) * unit);
      if (bytes <= 0) {
        throw new NumberFormatException();
      }
      return bytes;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cannot read the size '" + text + "'; write it like 200MB, 1.5GB or 65536");
    }
  }
}
