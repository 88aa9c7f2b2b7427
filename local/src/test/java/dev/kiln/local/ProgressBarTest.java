package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.api.JobView;
import dev.kiln.model.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final long SECOND = 1_000_000_000L;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  @Test
  void saysItIsPlanningUntilTheShardsAreKnown() {
    ProgressBar bar = new ProgressBar(out, true, 1_000, now::get);
    now.addAndGet(3 * SECOND);

    assertThat(bar.render(job(JobState.SUBMITTED, 0, 0, 0), 3))
        .isEqualTo("[..............................]    planning the shards  0:03");
  }

  @Test
  void showsShardsRecordsRateTimeToGoAndTimeSpent() {
    ProgressBar bar = new ProgressBar(out, true, 1_000_000, now::get);

    assertThat(bar.render(job(JobState.RUNNING, 4, 16, 250_000), 10))
        .isEqualTo(
            "[########......................]  25%  4/16 shards  250,000 records"
                + "  25,000 records/s  0:30 to go  0:10");
    assertThat(bar.render(job(JobState.SUCCEEDED, 16, 16, 1_000_000), 40.5))
        .endsWith("16/16 shards  1,000,000 records  24,691 records/s  SUCCEEDED  0:40");
  }

  @Test
  void itsClockOnlyMovesForwardWhateverTheServerSays() {
    ProgressBar bar = new ProgressBar(out, false, 100, now::get);
    now.addAndGet(7 * SECOND);
    bar.show(job(JobState.RUNNING, 1, 2, 50));
    now.addAndGet(2 * SECOND);
    bar.finish(job(JobState.SUCCEEDED, 2, 2, 100));

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).endsWith("0:07");
    assertThat(lines.get(1)).endsWith(JobState.SUCCEEDED + "  0:09");
  }

  @Test
  void writesNoCarriageReturnsWhereTheOutputIsNotATerminalButALineEveryFewSeconds() {
    ProgressBar bar = new ProgressBar(out, false, 1_000, now::get);
    for (int tick = 0; tick < 48; tick++) {
      bar.show(job(JobState.RUNNING, tick / 4, 16, tick * 10L));
      now.addAndGet(SECOND / 4);
    }
    bar.finish(job(JobState.SUCCEEDED, 16, 16, 1_000));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r");
    // 12 s of quarter-second polls: the first, one every 5 s, and the last.
    assertThat(text.lines()).hasSize(4);
  }

  @Test
  void redrawsOneLineOnATerminalBlankingWhatALongerLineLeft() {
    ProgressBar bar = new ProgressBar(out, true, 10_000_000, now::get);
    bar.show(job(JobState.RUNNING, 1, 16, 999_999));
    bar.finish(job(JobState.SUCCEEDED, 16, 16, 1));

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("\r[").endsWith("\n").containsOnlyOnce("\n");
    String[] frames = text.substring(1, text.length() - 1).split("\r");
    assertThat(frames).hasSize(2);
    assertThat(frames[1].length()).isEqualTo(frames[0].length());
    assertThat(frames[1]).endsWith(JobState.SUCCEEDED + "  0:00      ");
  }

  private static JobView job(JobState state, int shardsDone, int shardsTotal, long records) {
    return new JobView(
        UUID.randomUUID(),
        state,
        "parse",
        null,
        null,
        0,
        null,
        List.of(),
        new JobView.Progress(shardsDone, shardsTotal, records, 0, 0),
        new JobView.Timings(Instant.EPOCH, null, null, null),
        null,
        null);
  }
}
