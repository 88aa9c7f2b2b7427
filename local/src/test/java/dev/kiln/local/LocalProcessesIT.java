package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.embedded.S3Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiln up} as a process: killed with SIGKILL it leaves no agent behind (nor PostgreSQL);
 * the next run on the same data directory keeps the killed run's logs; Ctrl-C stops it in order,
 * with exit code 0 and no stack trace.
 */
class LocalProcessesIT {
  private static final Pattern AGENTS = Pattern.compile("agents\\s+\\d+ processes \\[([\\d, ]*)]");
  private static final Pattern AGENT_ID = Pattern.compile("local-[a-z0-9]{6}-\\d+");
  private static final Pattern LOGS = Pattern.compile("^\\s+logs\\s+(\\S.*)$");

  @TempDir Path tempDir;

  @Test
  void agentsDieWithAKilledPlatformAndTheNextRunKeepsTheirLogs() throws Exception {
    Path dataDir = tempDir.resolve("data");
    Running first = up(dataDir, "first");
    long postmaster = postmasterPid(dataDir);
    assertThat(first.agentPids()).hasSize(2).allMatch(LocalProcessesIT::alive);
    List<String> firstIds = agentIds(first.logDir());
    assertThat(firstIds).hasSize(2);
    for (long agent : first.agentPids()) {
      // The S3 keys went to the agent's standard input, where a model cannot read them again.
      assertThat(Files.readString(Path.of("/proc", Long.toString(agent), "environ")))
          .contains("KILN_AGENT_SETTINGS=stdin")
          .doesNotContain("KILN_S3_SECRET_KEY")
          .doesNotContain("KILN_S3_ACCESS_KEY")
          .doesNotContain(S3Service.DEFAULT_SECRET_KEY);
    }

    first.process().destroyForcibly();
    assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killed = System.nanoTime();
    List<Long> left = new ArrayList<>(first.agentPids());
    left.add(postmaster);
    while (left.stream().anyMatch(LocalProcessesIT::alive)
        && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(100);
    }
    assertThat(left.stream().filter(LocalProcessesIT::alive).toList())
        .as("agents %s and postmaster %d within 10 s of SIGKILL", first.agentPids(), postmaster)
        .isEmpty();
    Map<Path, Long> firstLogs = agentLogSizes(first.logDir());
    assertThat(firstLogs).hasSize(2).allSatisfy((log, size) -> assertThat(size).isPositive());

    Running second = up(dataDir, "second");
    assertThat(second.logDir()).isNotEqualTo(first.logDir());
    assertThat(agentIds(second.logDir())).hasSize(2).doesNotContainAnyElementsOf(firstIds);
    assertThat(agentLogSizes(first.logDir())).isEqualTo(firstLogs);
    assertThat(second.agentPids()).doesNotContainAnyElementsOf(first.agentPids());

    new ProcessBuilder("kill", "-INT", Long.toString(second.process().pid())).start().waitFor();
    assertThat(second.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
    second.drained().get(10, TimeUnit.SECONDS);
    String output = String.join("\n", second.lines()) + "\n" + Files.readString(second.stderr());
    assertThat(second.process().exitValue()).as(output).isZero();
    assertThat(output).contains("stopped").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(second.agentPids()).noneMatch(LocalProcessesIT::alive);
  }

  private record Running(
      Process process,
      List<String> lines,
      CompletableFuture<Void> drained,
      Path stderr,
      List<Long> agentPids,
      Path logDir) {}

  /** Starts {@code kiln up} in its own JVM and waits until it says it is running. */
  private Running up(Path dataDir, String name) throws Exception {
    Path stderr = tempDir.resolve(name + ".err");
    List<String> command = new ArrayList<>();
    // As a terminal would start it, whatever signals this JVM ignores (nohup, background jobs).
    command.addAll(List.of("env", "--default-signal=INT,TERM,HUP"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Dkiln.home=" + kilnHome());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(KilnLocal.class.getName());
    command.addAll(List.of("up", "--port", "0", "--admin-port", "0", "--data"));
    command.addAll(List.of(dataDir.toString(), "--agents", "2"));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    CompletableFuture<Void> drained =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                  if (line.startsWith("Press Ctrl-C")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      ready.get(180, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError(
          "kiln up did not start: " + lines + " " + Files.readString(stderr), e);
    }
    List<Long> agents = List.of();
    Path logDir = null;
    for (String line : lines) {
      Matcher agentsLine = AGENTS.matcher(line);
      if (agentsLine.find()) {
        agents =
            Arrays.stream(agentsLine.group(1).split(",\\s*"))
                .filter(pid -> !pid.isBlank())
                .map(Long::parseLong)
                .toList();
      }
      Matcher logsLine = LOGS.matcher(line);
      if (logsLine.find()) {
        logDir = Path.of(logsLine.group(1).strip());
      }
    }
    assertThat(logDir).as(String.join("\n", lines)).isNotNull();
    return new Running(process, lines, drained, stderr, agents, logDir);
  }

  /** The directory whose {@code target/javacpp} holds TensorFlow's unpacked native libraries. */
  private static String kilnHome() {
    String cacheDir = System.getProperty("org.bytedeco.javacpp.cachedir");
    return cacheDir == null
        ? System.getProperty("user.dir")
        : Path.of(cacheDir).toAbsolutePath().getParent().getParent().toString();
  }

  private static Map<Path, Long> agentLogSizes(Path logDir) throws IOException {
    try (Stream<Path> files = Files.list(logDir)) {
      List<Path> logs =
          files.filter(file -> file.getFileName().toString().startsWith("agent-")).toList();
      Map<Path, Long> sizes = new java.util.HashMap<>();
      for (Path log : logs) {
        sizes.put(log, Files.size(log));
      }
      return sizes;
    }
  }

  /**
   * The agent ids the agents of a run wrote to their logs, {@code local-RUNID-N}, once every agent
   * of the run has written its own.
   */
  private static List<String> agentIds(Path logDir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      List<String> ids = new ArrayList<>();
      for (Path log : agentLogSizes(logDir).keySet()) {
        Matcher id = AGENT_ID.matcher(Files.readString(log));
        if (id.find()) {
          ids.add(id.group());
        }
      }
      if (ids.size() == agentLogSizes(logDir).size() || System.nanoTime() > deadline) {
        return ids;
      }
      Thread.sleep(200);
    }
  }

  private static long postmasterPid(Path dataDir) throws IOException {
    return Long.parseLong(
        Files.readAllLines(dataDir.resolve("services/postgres/postmaster.pid")).get(0).strip());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
