package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterruptionWatcherIT {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private FakeInstanceMetadata imds;
  private InstanceMetadata metadata;

  @BeforeEach
  void start() throws Exception {
    imds = new FakeInstanceMetadata();
    metadata = new InstanceMetadata(imds.endpoint(), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  private InterruptionWatcher watcher(List<InterruptionWatcher.Notice> drains) {
    return new InterruptionWatcher(
        metadata,
        Duration.ofMillis(50),
        Duration.ofSeconds(90),
        clock,
        (reason, grace) -> drains.add(new InterruptionWatcher.Notice(reason, grace)));
  }

  @Test
  void readsMetadataWithAnImdsV2TokenOnly() throws Exception {
    imds.set("instance-id", "i-0abc").set("instance-type", "g4dn.xlarge");
    assertThat(metadata.get("instance-id")).contains("i-0abc");
    assertThat(metadata.get("instance-type")).contains("g4dn.xlarge");
    assertThat(metadata.get("spot/instance-action")).isEmpty();
    assertThat(imds.tokensIssued.get()).isEqualTo(1);
    assertThat(imds.unauthorised.get()).isZero();
  }

  @Test
  void noNoticeMeansNoDrain() throws Exception {
    List<InterruptionWatcher.Notice> drains = new CopyOnWriteArrayList<>();
    try (InterruptionWatcher watcher = watcher(drains)) {
      assertThat(watcher.check()).isEmpty();
      imds.set("autoscaling/target-lifecycle-state", "InService");
      assertThat(watcher.check()).isEmpty();
    }
  }

  @Test
  void aSpotNoticeDrainsUntilItsTimeLessTheMargin() throws Exception {
    List<InterruptionWatcher.Notice> drains = new CopyOnWriteArrayList<>();
    try (InterruptionWatcher watcher = watcher(drains)) {
      watcher.start();
      Thread.sleep(200);
      assertThat(drains).isEmpty();
      imds.set(
          "spot/instance-action",
          "{\"action\":\"terminate\",\"time\":\"" + NOW.plusSeconds(120) + "\"}");
      await().atMost(Duration.ofSeconds(5)).until(() -> drains.size() == 1);
      assertThat(drains.get(0).reason()).contains("spot interruption (terminate)");
      assertThat(drains.get(0).grace()).isEqualTo(Duration.ofSeconds(105));
      Thread.sleep(200);
      assertThat(drains).hasSize(1);
    }
  }

  @Test
  void aRebalanceNoticeOrATerminatingLifecycleHookDrainWithTheGrace() throws Exception {
    List<InterruptionWatcher.Notice> drains = new CopyOnWriteArrayList<>();
    try (InterruptionWatcher watcher = watcher(drains)) {
      imds.set("events/recommendations/rebalance", "{\"noticeTime\":\"" + NOW + "\"}");
      assertThat(watcher.check())
          .contains(
              new InterruptionWatcher.Notice(
                  "EC2 rebalance recommendation", Duration.ofSeconds(90)));
      imds.set("autoscaling/target-lifecycle-state", "Terminated");
      assertThat(watcher.check().orElseThrow().reason())
          .isEqualTo("Auto Scaling termination lifecycle hook");
    }
  }
}
