package dev.kiln.local;

import dev.kiln.core.fleet.Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Agents as child processes of this JVM, each with its own log file. Children are stopped with
 * SIGTERM (so they drain) and killed if they do not exit in time, also from a shutdown hook, so
 * none outlives the launcher. Thread-safe.
 */
public final class LocalProcessFleet implements Fleet, AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String classpath;
  private final Map<String, String> environment;
  private final Path logDir;
  private final String javaBin;
  private final List<String> jvmArgs;
  private final List<Process> agents = new ArrayList<>();
  private int started;

  /**
   * @param classpath the agent's classpath
   * @param environment the {@code KILN_*} variables every agent gets
   * @param logDir where {@code agent-N.log} files go
   * @param jvmArgs extra JVM options for each agent (heap, javacpp cache dir)
   */
  public LocalProcessFleet(
      String classpath, Map<String, String> environment, Path logDir, List<String> jvmArgs) {
    this.classpath = classpath;
    this.environment = Map.copyOf(environment);
    this.logDir = logDir;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-local-agents"));
  }

  @Override
  public synchronized int size() {
    agents.removeIf(process -> !process.isAlive());
    return agents.size();
  }

  @Override
  public synchronized void resize(int desired) {
    agents.removeIf(process -> !process.isAlive());
    while (agents.size() < desired) {
      agents.add(startAgent(++started));
    }
    while (agents.size() > desired) {
      stop(agents.remove(agents.size() - 1));
    }
  }

  @Override
  public String describe() {
    return "local agent processes";
  }

  /** Process ids of the running agents. */
  public synchronized List<Long> pids() {
    return agents.stream().filter(Process::isAlive).map(Process::pid).toList();
  }

  private Process startAgent(int number) {
    try {
      Files.createDirectories(logDir);
      List<String> command = new ArrayList<>();
      command.add(javaBin);
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(classpath);
      command.add("dev.kiln.agent.AgentMain");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(environment);
      builder.environment().put("KILN_AGENT_ID", "local-agent-" + number);
      builder.redirectErrorStream(true);
      builder.redirectOutput(logDir.resolve("agent-" + number + ".log").toFile());
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start agent " + number, e);
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops every agent (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  @Override
  public synchronized void close() {
    agents.forEach(Process::destroy);
    for (Process process : agents) {
      stop(process);
    }
    agents.clear();
  }
}
