package dev.kiln.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettableClockTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void standsStillUntilSetOrAdvanced() {
    SettableClock clock = new SettableClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());

    assertThat(clock.advance(Duration.ofSeconds(90))).isEqualTo(START.plusSeconds(90));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90));

    clock.set(START.minusSeconds(5));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(5));
  }

  @Test
  void readsUtcWhateverZoneIsAskedFor() {
    SettableClock clock = new SettableClock(START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.withZone(ZoneId.of("Europe/Paris"))).isSameAs(clock);
  }

  @Test
  void advancesFromManyThreadsLoseNoStep() throws Exception {
    SettableClock clock = new SettableClock(START);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  clock.advance(Duration.ofMillis(1));
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(clock.instant()).isEqualTo(START.plusMillis(40_000));
  }
}
