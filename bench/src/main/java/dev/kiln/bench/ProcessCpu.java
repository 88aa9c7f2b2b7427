package dev.kiln.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by a process and its children, read from {@code /proc} (Linux). Counts children
 * that already exited too, so a server that forks a process per connection is measured whole. CPU
 * time per request stays meaningful on a busy machine, where throughput alone says little.
 */
final class ProcessCpu {
  private static final double MILLIS_PER_TICK = 10.0; // USER_HZ is 100 on Linux

  private ProcessCpu() {}

  /** CPU milliseconds of this JVM, PostgreSQL and Redis at one moment. */
  record Sample(double jvm, double postgres, double redis) {
    static Sample take(long postgresPid, long redisPid) {
      return new Sample(
          ownMillis(ProcessHandle.current().pid()), millis(postgresPid), ownMillis(redisPid));
    }

    /** The CPU used per request between {@code earlier} and this sample. */
    Sample perRequest(Sample earlier, long requests) {
      double n = Math.max(1, requests);
      return new Sample(
          (jvm - earlier.jvm) / n, (postgres - earlier.postgres) / n, (redis - earlier.redis) / n);
    }

    double total() {
      return jvm + postgres + redis;
    }
  }

  /** Milliseconds of CPU used so far by {@code pid} and its children; 0 when not on Linux. */
  static double millis(long pid) {
    double total = ownAndReaped(pid);
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        String[] stat = stat(process.resolve("stat"));
        if (stat != null && Long.parseLong(stat[1]) == pid) {
          total += ticks(stat, 11) + ticks(stat, 12);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /**
   * Milliseconds of CPU used so far by {@code pid}'s own threads, without its children (this JVM
   * starts PostgreSQL and Redis, which are counted apart).
   */
  static double ownMillis(long pid) {
    String[] stat = stat(Path.of("/proc", Long.toString(pid), "stat"));
    return stat == null ? 0 : ticks(stat, 11) + ticks(stat, 12);
  }

  /**
   * Milliseconds of CPU used so far by this JVM's JIT compiler threads (named {@code C1
   * CompilerThread} and {@code C2 CompilerThread}; the kernel keeps 15 characters).
   */
  static double jitMillis() {
    double total = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path thread : threads) {
        try {
          String line = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
          String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
          String[] stat = line.substring(line.lastIndexOf(')') + 2).split(" ");
          if (name.contains("CompilerThre")) {
            total += ticks(stat, 11) + ticks(stat, 12);
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /** The process whose command line contains {@code text}, or -1. */
  static long find(String text) {
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        try {
          String commandLine =
              new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
          if (commandLine.contains(text)) {
            return Long.parseLong(process.getFileName().toString());
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static double ownAndReaped(long pid) {
    String[] stat = stat(Path.of("/proc", Long.toString(pid), "stat"));
    if (stat == null) {
      return 0;
    }
    return ticks(stat, 11) + ticks(stat, 12) + ticks(stat, 13) + ticks(stat, 14);
  }

  /** The fields after the command name: [0] is the state, [1] the parent, [11] utime. */
  private static String[] stat(Path file) {
    try {
      String line = Files.readString(file, StandardCharsets.US_ASCII);
      return line.substring(line.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  private static double ticks(String[] stat, int field) {
    return Long.parseLong(stat[field]) * MILLIS_PER_TICK;
  }
}
