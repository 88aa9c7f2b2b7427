package dev.kiln.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code simulator/run.sh [--seed N] [--trace FILE.csv] [--out DIR]}: runs the study, prints its
 * tables, and with {@code --out} writes {@code cost-simulation.md} and its plot into DIR.
 */
public final class SimulateMain {
  private SimulateMain() {}

  public static void main(String[] args) {
    try {
      System.out.print(run(args));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("simulate: " + e.getMessage());
      System.exit(2);
    }
  }

  static String run(String[] args) {
    long seed = 42;
    Path out = null;
    Path traceFile = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(required(args[i], value));
        case "--out" -> out = Path.of(required(args[i], value));
        case "--trace" -> traceFile = Path.of(required(args[i], value));
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; use --seed N, --trace FILE.csv, --out DIR");
      }
      i++;
    }
    if (traceFile != null) {
      Trace trace = TraceCsv.read(traceFile);
      Report report = Report.run(seed, List.of(trace), FleetRealities.EC2);
      return Tables.comparisons(report.comparisons()) + "\n" + Tables.results(report.allRuns());
    }
    Report report = Report.run(seed, Traces.all(seed), FleetRealities.EC2);
    if (out != null) {
      write(out.resolve("cost-simulation.md"), ReportPage.markdown(report));
      List<Result> plotted = new ArrayList<>(report.spiky().rows());
      plotted.remove(1);
      write(out.resolve(ReportPage.PLOT_FILE), SvgPlot.draw("spiky trace, seed " + seed, plotted));
    }
    return Tables.comparisons(report.comparisons())
        + "\n"
        + Tables.results(report.allRuns())
        + "\n"
        + Tables.results(List.of(report.mixedOneGroup(), report.mixedTwoGroups()));
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
