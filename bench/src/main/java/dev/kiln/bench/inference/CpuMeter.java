package dev.kiln.bench.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
   * @param children living child processes (agents, PostgreSQL, Redis)
   * @param reaped child processes that have exited and been waited for (the plain loop)
   */
  record Snapshot(double self, double children, double reaped) {
    Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          self - earlier.self, children - earlier.children, reaped - earlier.reaped);
    }
  }

  static Snapshot now() {
    double self = seconds(ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
    double children =
        ProcessHandle.current()
            .descendants()
            .mapToDouble(p -> seconds(p.info().totalCpuDuration().orElse(Duration.ZERO)))
            .sum();
    return new Snapshot(self, children, reapedChildren());
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

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
