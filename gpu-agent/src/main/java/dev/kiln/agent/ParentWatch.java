package dev.kiln.agent;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ends an agent whose parent process is gone, so that agents started by a local fleet ({@code
 * ./kiln up}) do not outlive it when it is killed. Enabled by {@value #PARENT_PID}, the pid of the
 * process that started the agent; such an agent also ignores SIGINT, so that a Ctrl-C in the
 * terminal reaches only the parent, which stops its agents (SIGTERM) after the scheduler.
 * Thread-safe.
 */
final class ParentWatch {
  /** Environment variable: the pid of the process whose end ends this agent. */
  static final String PARENT_PID = "KILN_AGENT_PARENT_PID";

  private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

  private final long parentPid;

  private ParentWatch(long parentPid) {
    this.parentPid = parentPid;
  }

  /** A watch of the pid in {@value #PARENT_PID}, if it is set. */
  static Optional<ParentWatch> fromEnvironment(Map<String, String> env) {
    String value = env.getOrDefault(PARENT_PID, "").strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ParentWatch(Long.parseLong(value)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PARENT_PID + " must be a process id, got " + value, e);
    }
  }

  /**
   * Ignores SIGINT and starts a daemon thread that exits this process (shutdown hooks get {@link
   * #EXIT_GRACE}, then it halts) once the parent is gone; at once if it is gone already.
   */
  void start() {
    Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
    // A handle remembers its process's start time, so a reused pid does not pass for the parent.
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    // A child is given to another parent the moment its parent exits, before the dead parent is
    // reaped (until then it still looks alive), so where the watched process is the direct parent,
    // a change of parent is the quicker sign.
    boolean direct = parentPid() == parentPid;
    Thread watch =
        new Thread(
            () -> {
              while (parent.map(ProcessHandle::isAlive).orElse(false)
                  && (!direct || parentPid() == parentPid)) {
                try {
                  Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
              exit();
            },
            "kiln-agent-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static long parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  private void exit() {
    LOG.warn("The process that started this agent (pid {}) is gone; exiting", parentPid);
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_GRACE.toMillis());
              } catch (InterruptedException e) {
                // halt now
              }
              Runtime.getRuntime().halt(1);
            },
            "kiln-agent-halt");
    halt.setDaemon(true);
    halt.start();
    System.exit(1);
  }
}
