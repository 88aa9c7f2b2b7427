package dev.kiln.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testkit.SettableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void drawsBytesRateAndTimeLeftOnOneLine() {
    StringWriter text = new StringWriter();
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), true, clock, "in.csv", 100L * 1024 * 1024, 0);

    clock.advance(Duration.ofSeconds(5));
    bar.add(50L * 1024 * 1024);

    assertThat(text.toString())
        .startsWith("\rin.csv [")
        .contains(" 50% ")
        .contains("50.0 MiB/100.0 MiB")
        .contains("10.0 MiB/s")
        .contains("ETA 5s");
    clock.advance(Duration.ofSeconds(5));
    bar.add(50L * 1024 * 1024);
    bar.finish();
    assertThat(text.toString())
        .endsWith(System.lineSeparator())
        .contains("100.0 MiB/100.0 MiB")
        .contains("ETA 0s");
  }

  @Test
  void aResumedUploadCountsOnlyTheNewBytesInItsRate() {
    StringWriter text = new StringWriter();
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ProgressBar bar = new ProgressBar(new PrintWriter(text), true, clock, "f", 100, 60);
    clock.advance(Duration.ofSeconds(2));
    bar.add(20);
    assertThat(text.toString()).contains(" 80% ").contains("10 B/s").contains("ETA 2s");
  }

  @Test
  void drawsNothingWhenStderrIsNotATerminal() {
    StringWriter text = new StringWriter();
    SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ProgressBar bar = new ProgressBar(new PrintWriter(text), false, clock, "f", 100, 0);
    bar.add(100);
    bar.finish();
    assertThat(text.toString()).isEmpty();
  }
}
