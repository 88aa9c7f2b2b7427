package dev.kiln.local;

import dev.kiln.client.api.JobView;
import dev.kiln.model.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A job's progress for a person: shards and records done, rate, time to go and time spent, on a
 * clock of its own that only moves forward. On a terminal it redraws one line; otherwise (a file, a
 * pipe) it prints a line every {@link #LINE_EVERY} and when the job's state changes, so that a log
 * holds no {@code \r} frames. Not thread-safe.
 */
final class ProgressBar {
  /** How often a line is printed when the output is not a terminal. */
  static final Duration LINE_EVERY = Duration.ofSeconds(5);

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final long expectedRecords;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private long lastLineNanos = Long.MIN_VALUE;
  private JobState lastState;
  private int drawnWidth;

  /**
   * @param out where to draw
   * @param terminal whether {@code out} is a terminal
   * @param expectedRecords records in the job's input (for the rate's share and the time to go)
   * @param nanoTime a monotonic clock, e.g. {@code System::nanoTime}; the bar's time starts now
   */
  ProgressBar(PrintStream out, boolean terminal, long expectedRecords, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.expectedRecords = expectedRecords;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
  }

  /** Shows {@code job}: redraws the line, or prints one if it is time. */
  void show(JobView job) {
    long now = nanoTime.getAsLong();
    String line = render(job, seconds(now));
    if (terminal) {
      draw(line);
    } else if (job.state() != lastState
        || now - lastLineNanos >= LINE_EVERY.toNanos()
        || lastLineNanos == Long.MIN_VALUE) {
      out.println(line);
      lastLineNanos = now;
    }
    lastState = job.state();
    out.flush();
  }

  /** Shows {@code job} a last time and ends the line. */
  void finish(JobView job) {
    String line = render(job, seconds(nanoTime.getAsLong()));
    if (terminal) {
      draw(line);
      out.println();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The line for {@code job} after {@code elapsedSeconds} on the bar's clock. */
  String render(JobView job, double elapsedSeconds) {
    JobView.Progress progress = job.progress();
    int total = progress.shardsTotal();
    String clock = "  " + minutes(elapsedSeconds);
    if (total == 0) {
      return bar(0) + "    planning the shards" + clock;
    }
    double done = (double) progress.shardsDone() / total;
    double rate = elapsedSeconds > 0 ? progress.records() / elapsedSeconds : 0;
    double share =
        expectedRecords > 0 ? Math.min(1.0, (double) progress.records() / expectedRecords) : done;
    String toGo;
    if (job.state() == JobState.RUNNING && share > 0 && share < 1) {
      toGo = "  " + minutes(elapsedSeconds * (1 - share) / share) + " to go";
    } else if (job.state() == JobState.RUNNING) {
      toGo = "";
    } else {
      toGo = "  " + job.state();
    }
    return String.format(
        Locale.ROOT,
        "%s %3d%%  %d/%d shards  %,d records  %,.0f records/s%s%s",
        bar((int) Math.round(WIDTH * done)),
        Math.round(100 * done),
        progress.shardsDone(),
        total,
        progress.records(),
        rate,
        toGo,
        clock);
  }

  private void draw(String line) {
    // Blank what a longer earlier line left behind, then come back to the line's start.
    int pad = Math.max(0, drawnWidth - line.length());
    out.print("\r" + line + " ".repeat(pad));
    drawnWidth = line.length();
  }

  private double seconds(long nowNanos) {
    return Math.max(0, nowNanos - startNanos) / 1e9;
  }

  private static String bar(int filled) {
    return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
  }

  private static String minutes(double seconds) {
    long whole = (long) Math.floor(seconds);
    return String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
  }
}
