package dev.kiln.bench.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * CPU time of this process and its children, so a run's cost can be told apart from the load of
 * others on a shared machine. Linux only (reads {@code /proc/self/stat} for children already waited
 * for). Stateless.
 */
final class CpuMeter {
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private CpuMeter() {}

  /**
   * CPU seconds so far.
   *
   * @param self this JVM (API, scheduler, S3Proxy, the client)
   * @param children living child processes other than the agents (PostgreSQL, Redis)
   * @param agents the agent processes
   * @param reaped child processes that have exited and been waited for (the plain loop)
   */
  record Snapshot(double self, double children, double agents, double reaped) {
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          self - earlier.self,
          children - earlier.children,
          agents - earlier.agents,
          reaped - earlier.reaped);
    }

    /** Every process of the platform. */
    double platform() {
      return self + children + agents;
    }
  }

  static Snapshot now(Set<Long> agentPids) {
    double children = 0;
    double agents = 0;
    for (ProcessHandle process : ProcessHandle.current().descendants().toList()) {
      if (agentPids.contains(process.pid())) {
        agents += cpu(process);
      } else {
        children += cpu(process);
      }
    }
    return new Snapshot(cpu(ProcessHandle.current()), children, agents, reapedChildren());
  }

  private static double cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
  }

  private static double reapedChildren() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command name: state is field 3, cutime field 16 and cstime field 17
      return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
