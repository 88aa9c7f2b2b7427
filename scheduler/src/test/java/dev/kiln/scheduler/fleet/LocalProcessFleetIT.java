package dev.kiln.scheduler.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: the local fleet grows, shrinks idle agents first, heals and stops all. */
class LocalProcessFleetIT {
  private final Map<String, Integer> leases = new ConcurrentHashMap<>();
  private final List<Long> everyPid = new ArrayList<>();
  private LocalProcessFleet fleet;

  @AfterEach
  void stopAll() {
    if (fleet != null) {
      everyPid.addAll(fleet.pids());
      fleet.close();
    }
    assertThat(everyPid)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("agent %d alive", pid)
                    .isFalse());
  }

  private LocalProcessFleet fleet(Path dir) {
    return new LocalProcessFleet(
        "run1",
        System.getProperty("java.class.path"),
        Map.of("KILN_AGENT_WORK_DIR", dir.resolve("agents").toString()),
        dir.resolve("logs"),
        List.of("-Xmx32m"),
        () -> Map.copyOf(leases),
        IdleAgentMain.class.getName(),
        agentId -> {});
  }

  @Test
  void scalingInStopsIdleAgentsAndKeepsBusyOnes(@TempDir Path dir) throws Exception {
    fleet = fleet(dir);
    fleet.resize(2);
    assertThat(fleet.size()).isEqualTo(2);
    fleet.resize(4);
    assertThat(fleet.agentIds())
        .containsExactly("local-run1-1", "local-run1-2", "local-run1-3", "local-run1-4");
    everyPid.addAll(fleet.pids());
    leases.put("local-run1-1", 1);
    leases.put("local-run1-3", 2);

    fleet.resize(2);

    assertThat(fleet.size()).isEqualTo(2);
    assertThat(fleet.agentIds()).containsExactly("local-run1-1", "local-run1-3");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        everyPid.stream()
                            .filter(
                                pid ->
                                    ProcessHandle.of(pid)
                                        .map(ProcessHandle::isAlive)
                                        .orElse(false)))
                    .hasSize(2));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(Files.readString(dir.resolve("logs/agent-3.log")))
                    .contains("agent local-run1-3 in " + dir.resolve("agents/local-run1-3")));
  }

  @Test
  void anAgentThatDiesIsReplacedOnTheNextRefresh(@TempDir Path dir) {
    fleet = fleet(dir);
    fleet.resize(2);
    long victim = fleet.pids().get(0);
    everyPid.add(victim);
    ProcessHandle.of(victim).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> fleet.size() == 1);

    fleet.refresh();

    assertThat(fleet.size()).isEqualTo(2);
    assertThat(fleet.pids()).doesNotContain(victim);
    assertThat(fleet.agentIds()).containsExactly("local-run1-2", "local-run1-3");
  }

  @Test
  void eachRunNamesItsAgentsApart(@TempDir Path dir) {
    LocalProcessFleet first =
        new LocalProcessFleet(
            System.getProperty("java.class.path"),
            Map.of(),
            dir.resolve("first"),
            List.of("-Xmx32m"),
            Map::of,
            IdleAgentMain.class.getName());
    LocalProcessFleet second =
        new LocalProcessFleet(
            System.getProperty("java.class.path"),
            Map.of(),
            dir.resolve("second"),
            List.of("-Xmx32m"),
            Map::of,
            IdleAgentMain.class.getName());
    try {
      first.resize(2);
      second.resize(2);
      everyPid.addAll(first.pids());
      everyPid.addAll(second.pids());

      assertThat(first.runId()).isNotEqualTo(second.runId()).matches("[a-z0-9]{6}");
      assertThat(first.agentIds())
          .containsExactly("local-" + first.runId() + "-1", "local-" + first.runId() + "-2")
          .doesNotContainAnyElementsOf(second.agentIds());
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void secretsReachAnAgentOnItsStandardInputAndNotInItsEnvironment(@TempDir Path dir)
      throws Exception {
    String secretKey = "s3-secret-" + System.nanoTime();
    fleet =
        new LocalProcessFleet(
            System.getProperty("java.class.path"),
            Map.of(
                "KILN_AGENT_WORK_DIR", dir.resolve("agents").toString(),
                "KILN_S3_ACCESS_KEY", "s3-access-key-id",
                "KILN_S3_SECRET_KEY", secretKey,
                "KILN_REDIS_URI", "redis://:redis-password@127.0.0.1:6379",
                "KILN_S3_REGION", "local-1"),
            dir.resolve("logs"),
            List.of("-Xmx32m"),
            Map::of,
            IdleAgentMain.class.getName());
    fleet.resize(1);
    long pid = fleet.pids().get(0);
    everyPid.add(pid);
    String agentId = fleet.agentIds().get(0);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(Files.readString(dir.resolve("logs/agent-1.log")))
                    .contains(
                        "settings on stdin: KILN_REDIS_URI KILN_S3_ACCESS_KEY KILN_S3_SECRET_KEY"));
    String environ =
        Files.readString(Path.of("/proc", Long.toString(pid), "environ")).replace('\0', '\n');
    assertThat(environ)
        .contains("KILN_AGENT_SETTINGS=stdin")
        .contains("KILN_S3_REGION=local-1")
        .contains("KILN_AGENT_ID=" + agentId)
        .doesNotContain(secretKey)
        .doesNotContain("s3-access-key-id")
        .doesNotContain("redis-password")
        .doesNotContain("AWS_SECRET_ACCESS_KEY");
  }
}
