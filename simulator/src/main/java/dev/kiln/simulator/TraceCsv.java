package dev.kiln.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a trace from a CSV of job submissions: {@code time,owner,bytes,processor}, one per line.
 * The time is either seconds from the trace's start or an ISO-8601 instant (then counted from the
 * earliest one). A first line starting with {@code time} is a header; blank lines and lines
 * starting with {@code #} are skipped.
 */
public final class TraceCsv {
  private TraceCsv() {}

  public static Trace read(Path file) {
    try {
      String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
      return parse(name, Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trace " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the lines of a trace.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static Trace parse(String name, List<String> lines) {
    List<String[]> rows = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || (rows.isEmpty() && line.startsWith("time"))) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length != 4) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": expected time,owner,bytes,processor but found: " + line);
      }
      rows.add(fields);
      numbers.add(i + 1);
    }
    Double origin = null;
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      double time = time(rows.get(i)[0].strip(), numbers.get(i));
      times.add(time);
      if (isInstant(rows.get(i)[0]) && (origin == null || time < origin)) {
        origin = time;
      }
    }
    List<Submission> submissions = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      double at = isInstant(row[0]) ? times.get(i) - origin : times.get(i);
      try {
        submissions.add(
            new Submission(at, row[1].strip(), Long.parseLong(row[2].strip()), row[3].strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + numbers.get(i) + ": " + e.getMessage(), e);
      }
    }
    return new Trace(name, "read from " + name + ".csv", submissions, 0);
  }

  private static boolean isInstant(String field) {
    return field.strip().contains("T");
  }

  private static double time(String field, int line) {
    try {
      return isInstant(field)
          ? Instant.parse(field).toEpochMilli() / 1000.0
          : Double.parseDouble(field);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "line "
              + line
              + ": the time "
              + field
              + " is neither seconds nor an instant such as 2026-03-02T10:00:00Z",
          e);
    }
  }
}
