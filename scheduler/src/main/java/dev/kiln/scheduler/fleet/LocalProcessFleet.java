package dev.kiln.scheduler.fleet;

import dev.kiln.model.fleet.Fleet;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents as child processes of this JVM, each with its own log file. Scaling in stops idle agents
 * first (as the agent registry tells), newest first, with SIGTERM so they drain, and does not wait
 * for them; an agent that has not exited after the grace period is killed. {@link #close()} stops
 * every agent, also from a shutdown hook, so none outlives this JVM. Each agent works in its own
 * subdirectory {@code {agentId}} of {@code KILN_AGENT_WORK_DIR}. Agent ids are {@code
 * local-{runId}-{n}}, the run id short and random, so that agents of a restarted platform are never
 * taken for those of an earlier run (their leases, their registry entries). Secrets (the S3 keys, a
 * Redis URI that may carry a password) reach an agent on its standard input ({@code
 * KILN_AGENT_SETTINGS=stdin}), never in its environment, which the models it runs could read; nor
 * does it inherit this process's own {@code KILN_*} or AWS credentials. An agent process that
 * exits, however, is reported at once to the death callback (the scheduler gives its leases back to
 * the queue). Thread-safe.
 */
public final class LocalProcessFleet implements Fleet, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessFleet.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final String WORK_DIR = "KILN_AGENT_WORK_DIR";
  private static final String SETTINGS_SOURCE = "KILN_AGENT_SETTINGS";
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9]{1,16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Settings an agent reads from its standard input rather than its environment: secrets. */
  static final Set<String> ON_STDIN =
      Set.of("KILN_S3_ACCESS_KEY", "KILN_S3_SECRET_KEY", "KILN_REDIS_URI");

  /** Credentials of this process's environment that no agent inherits. */
  private static final Set<String> NOT_INHERITED =
      Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");

  /** The agent's main class. */
  public static final String AGENT_MAIN = "dev.kiln.agent.AgentMain";

  private final String classpath;
  private final Map<String, String> environment;
  private final Path logDir;
  private final String javaBin;
  private final List<String> jvmArgs;
  private final Supplier<Map<String, Integer>> leasesByAgent;
  private final String mainClass;
  private final Consumer<String> onDeath;
  private final String runId;
  private final List<Child> running = new ArrayList<>();
  private final List<Child> stopping = new ArrayList<>();
  private int started;
  private int target;

  /** A started agent process. */
  private record Child(int number, String agentId, Process process, long stopDeadline) {
    Child stopping() {
      return new Child(number, agentId, process, System.nanoTime() + STOP_GRACE.toNanos());
    }
  }

  /**
   * @param classpath the agent's classpath
   * @param environment the {@code KILN_*} settings every agent gets: in its environment, but for
   *     the secrets of {@link #ON_STDIN}, written to its standard input
   * @param logDir where {@code agent-N.log} files go
   * @param jvmArgs extra JVM options for each agent (heap, javacpp cache dir)
   * @param leasesByAgent leases each agent id holds now (from the agent registry), to pick idle
   *     agents when scaling in
   */
  public LocalProcessFleet(
      String classpath,
      Map<String, String> environment,
      Path logDir,
      List<String> jvmArgs,
      Supplier<Map<String, Integer>> leasesByAgent) {
    this(classpath, environment, logDir, jvmArgs, leasesByAgent, AGENT_MAIN);
  }

  /** As above, with another main class than {@value #AGENT_MAIN}. */
  public LocalProcessFleet(
      String classpath,
      Map<String, String> environment,
      Path logDir,
      List<String> jvmArgs,
      Supplier<Map<String, Integer>> leasesByAgent,
      String mainClass) {
    this(classpath, environment, logDir, jvmArgs, leasesByAgent, mainClass, agentId -> {});
  }

  /**
   * As above, and told the id of every agent process as soon as it exits, whether it was stopped or
   * died (killed, crashed): its leases can go back to the queue at once.
   */
  public LocalProcessFleet(
      String classpath,
      Map<String, String> environment,
      Path logDir,
      List<String> jvmArgs,
      Supplier<Map<String, Integer>> leasesByAgent,
      String mainClass,
      Consumer<String> onDeath) {
    this(newRunId(), classpath, environment, logDir, jvmArgs, leasesByAgent, mainClass, onDeath);
  }

  /** As above, with the run id that names its agents, {@code local-{runId}-{n}}. */
  public LocalProcessFleet(
      String runId,
      String classpath,
      Map<String, String> environment,
      Path logDir,
      List<String> jvmArgs,
      Supplier<Map<String, Integer>> leasesByAgent,
      String mainClass,
      Consumer<String> onDeath) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("a run id is 1 to 16 lowercase letters or digits");
    }
    environment.forEach(
        (name, value) -> {
          if (ON_STDIN.contains(name) && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException(name + " holds a line break");
          }
        });
    this.runId = runId;
    this.onDeath = onDeath;
    this.mainClass = mainClass;
    this.classpath = classpath;
    this.environment = Map.copyOf(environment);
    this.logDir = logDir;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.leasesByAgent = leasesByAgent;
    this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-local-agents"));
  }

  /** A new run id: six random base-36 characters (about two billion). */
  public static String newRunId() {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      id.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return id.toString();
  }

  /** The id of this run, part of every agent id. */
  public String runId() {
    return runId;
  }

  @Override
  public synchronized int size() {
    running.removeIf(child -> !child.process().isAlive());
    return running.size();
  }

  @Override
  public synchronized void resize(int desired) {
    target = Math.max(0, desired);
    running.removeIf(child -> !child.process().isAlive());
    while (running.size() < target) {
      running.add(startAgent(++started));
    }
    if (running.size() > target) {
      Map<String, Integer> leases = leasesSafely();
      List<Child> victims =
          running.stream()
              .sorted(
                  Comparator.comparing((Child child) -> leases.getOrDefault(child.agentId(), 0) > 0)
                      .thenComparing(Child::number, Comparator.reverseOrder()))
              .limit(running.size() - target)
              .toList();
      for (Child victim : victims) {
        running.remove(victim);
        victim.process().destroy();
        stopping.add(victim.stopping());
      }
    }
  }

  /** Replaces agents that died and kills stopped agents that outstayed their grace period. */
  @Override
  public synchronized void refresh() {
    stopping.removeIf(child -> !child.process().isAlive());
    long now = System.nanoTime();
    for (Child child : stopping) {
      if (now - child.stopDeadline() > 0) {
        child.process().destroyForcibly();
      }
    }
    running.removeIf(child -> !child.process().isAlive());
    while (running.size() < target) {
      running.add(startAgent(++started));
    }
  }

  @Override
  public String describe() {
    return "local agent processes";
  }

  /** Process ids of the running agents (not those being stopped). */
  public synchronized List<Long> pids() {
    return running.stream().map(Child::process).filter(Process::isAlive).map(Process::pid).toList();
  }

  /** Agent ids ({@code KILN_AGENT_ID}) of the running agents, oldest first. */
  public synchronized List<String> agentIds() {
    return running.stream().filter(child -> child.process().isAlive()).map(Child::agentId).toList();
  }

  private Map<String, Integer> leasesSafely() {
    try {
      return leasesByAgent.get();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private Child startAgent(int number) {
    String agentId = "local-" + runId + "-" + number;
    try {
      Files.createDirectories(logDir);
      List<String> command = new ArrayList<>();
      command.add(javaBin);
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(classpath);
      command.add(mainClass);
      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(name -> name.startsWith("KILN_") || NOT_INHERITED.contains(name));
      Map<String, String> onStdin = new TreeMap<>();
      environment.forEach(
          (name, value) -> (ON_STDIN.contains(name) ? onStdin : env).put(name, value));
      if (!onStdin.isEmpty()) {
        env.put(SETTINGS_SOURCE, "stdin");
      }
      env.put("KILN_AGENT_ID", agentId);
      String workDir = environment.get(WORK_DIR);
      if (workDir != null) {
        // Agents unpack models into their work directory; sharing one between processes races.
        env.put(WORK_DIR, Path.of(workDir, agentId).toString());
      }
      builder.redirectErrorStream(true);
      builder.redirectOutput(logDir.resolve("agent-" + number + ".log").toFile());
      Process process = builder.start();
      writeSettings(process, onStdin);
      process.onExit().thenRun(() -> exited(agentId, process));
      return new Child(number, agentId, process, Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start agent " + number, e);
    }
  }

  /** Writes {@code KILN_NAME=value} lines to the agent's standard input and closes it. */
  private static void writeSettings(Process process, Map<String, String> settings)
      throws IOException {
    try (Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        stdin.write(setting.getKey() + "=" + setting.getValue() + "\n");
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void exited(String agentId, Process process) {
    LOG.info(
        "agent {} (pid {}) exited with status {}", agentId, process.pid(), process.exitValue());
    try {
      onDeath.accept(agentId);
    } catch (RuntimeException e) {
      LOG.warn("could not release the leases of agent {}: {}", agentId, e.toString());
    }
  }

  private static void stop(Process process, long deadlineNanos) {
    try {
      long wait = Math.max(0, deadlineNanos - System.nanoTime());
      if (!process.waitFor(wait, TimeUnit.NANOSECONDS)) {
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
    target = 0;
    List<Child> all = new ArrayList<>(stopping);
    running.forEach(child -> all.add(child.stopping()));
    running.clear();
    stopping.clear();
    all.forEach(child -> child.process().destroy());
    for (Child child : all) {
      stop(child.process(), child.stopDeadline());
    }
  }
}
