package dev.kiln.agent.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    RowWriter writer = new RowWriter(out);
    Random random = new Random(seed);
    if (!jsonLines) {
      writer.ascii(CSV_HEADER).newLine();
    }
    int[] tenths = new int[4];
    for (long id = 0; id < rows; id++) {
      int species = random.nextInt(3);
      for (int j = 0; j < 4; j++) {
        float value =
            DemoModel.MEANS[species][j]
                + (float) random.nextGaussian() * DemoModel.STDDEVS[species][j];
        tenths[j] = Math.max(1, Math.round(value * 10));
      }
      if (jsonLines) {
        writer.ascii("{\"id\":").number(id);
        for (int j = 0; j < 4; j++) {
          writer.ascii(JSON_KEYS[j]).tenths(tenths[j]);
        }
        writer.ascii(",\"species\":\"").ascii(DemoModel.SPECIES.get(species)).ascii("\"}");
      } else {
        writer.number(id);
        for (int j = 0; j < 4; j++) {
          writer.ascii(",").tenths(tenths[j]);
        }
        writer.ascii(",").ascii(DemoModel.SPECIES.get(species));
      }
      writer.newLine();
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

  private static final String[] JSON_KEYS =
      DemoModel.FEATURES.stream().map(name -> ",\"" + name + "\":").toArray(String[]::new);

  /**
   * Writes ASCII rows into a byte buffer: numbers are written digit by digit, since {@code
   * String.format} per row made a gigabyte of demo data take minutes. Not thread-safe.
   */
  private static final class RowWriter {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private final byte[] digits = new byte[20];
    private int length;

    RowWriter(OutputStream out) {
      this.out = out;
    }

    RowWriter ascii(String text) throws IOException {
      for (int i = 0; i < text.length(); i++) {
        put((byte) text.charAt(i));
      }
      return this;
    }

    /** A whole number (not negative). */
    RowWriter number(long value) throws IOException {
      int count = 0;
      do {
        digits[count++] = (byte) ('0' + value % 10);
        value /= 10;
      } while (value > 0);
      while (count > 0) {
        put(digits[--count]);
      }
      return this;
    }

    /** {@code tenths / 10} with one decimal, as {@code %.1f} writes it. */
    RowWriter tenths(int tenths) throws IOException {
      number(tenths / 10);
      put((byte) '.');
      put((byte) ('0' + tenths % 10));
      return this;
    }

    RowWriter newLine() throws IOException {
      put((byte) '\n');
      return this;
    }

    private void put(byte b) throws IOException {
      if (length == buffer.length) {
        out.write(buffer, 0, length);
        length = 0;
      }
      buffer[length++] = b;
    }

    void flush() throws IOException {
      out.write(buffer, 0, length);
      length = 0;
      out.flush();
    }
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
