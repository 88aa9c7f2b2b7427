package dev.kiln.cli.common;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr: done of total bytes, rate and time left. Drawn only when
 * stderr is a terminal; otherwise silent (scripts get no control characters). Thread-safe: parts
 * running at once add to it.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_MILLIS = 200;

  private final PrintWriter err;
  private final boolean enabled;
  private final Clock clock;
  private final String label;
  private final long total;
  private final AtomicLong done = new AtomicLong();
  private final long startedMillis;
  private final long startedAt;
  private volatile long drawnMillis = Long.MIN_VALUE / 2;

  public ProgressBar(
      PrintWriter err, boolean enabled, Clock clock, String label, long total, long alreadyDone) {
    this.err = err;
    this.enabled = enabled;
    this.clock = clock;
    this.label = label;
    this.total = total;
    this.startedMillis = clock.millis();
    this.startedAt = alreadyDone;
    done.set(alreadyDone);
  }

  public void add(long bytes) {
    long now = done.addAndGet(bytes);
    long millis = clock.millis();
    if (enabled && (millis - drawnMillis >= REDRAW_MILLIS || now >= total)) {
      drawnMillis = millis;
      draw(now, millis);
    }
  }

  /** Ends the line the bar was drawn on. */
  public void finish() {
    if (enabled) {
      draw(done.get(), clock.millis());
      synchronized (err) {
        err.println();
        err.flush();
      }
    }
  }

  private void draw(long now, long millis) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) now / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max(0.001, (millis - startedMillis) / 1000.0);
    double rate = (now - startedAt) / seconds;
    String eta = rate <= 0 ? "--" : Sizes.seconds((long) ((total - now) / rate));
    String line =
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3.0f%% %s/%s %s/s ETA %s ",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            fraction * 100,
            Sizes.bytes(now),
            Sizes.bytes(total),
            Sizes.bytes((long) rate),
            eta);
    synchronized (err) {
      err.print(line);
      err.flush();
    }
  }
}
