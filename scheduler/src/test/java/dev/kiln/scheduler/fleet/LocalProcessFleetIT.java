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
        System.getProperty("java.class.path"),
        Map.of("KILN_AGENT_WORK_DIR", dir.resolve("agents").toString()),
        dir.resolve("logs"),
        List.of("-Xmx32m"),
        () -> Map.copyOf(leases),
        IdleAgentMain.class.getName());
  }

  @Test
  void scalingInStopsIdleAgentsAndKeepsBusyOnes(@TempDir Path dir) throws Exception {
    fleet = fleet(dir);
    fleet.resize(2);
    assertThat(fleet.size()).isEqualTo(2);
    fleet.resize(4);
    assertThat(fleet.agentIds())
        .containsExactly("local-agent-1", "local-agent-2", "local-agent-3", "local-agent-4");
    everyPid.addAll(fleet.pids());
    leases.put("local-agent-1", 1);
    leases.put("local-agent-3", 2);

    fleet.resize(2);

    assertThat(fleet.size()).isEqualTo(2);
    assertThat(fleet.agentIds()).containsExactly("local-agent-1", "local-agent-3");
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
                    .contains("agent local-agent-3 in " + dir.resolve("agents/local-agent-3")));
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
    assertThat(fleet.agentIds()).containsExactly("local-agent-2", "local-agent-3");
  }
}
