package dev.kiln.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A JVM that dies, however it dies, takes its PostgreSQL and Redis with it. */
class OrphanCleanupIT {

  @TempDir static Path dataDir;

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT", "KILL"})
  void serversStopWhenTheJvmIsKilled(String signal) throws Exception {
    Path stderr = dataDir.resolve("child-" + signal + ".err");
    Process jvm = stackJvm(stderr, dataDir.resolve("stack").toString());
    long postgresPid;
    long redisPid;
    try {
      String ready = CompletableFuture.supplyAsync(() -> readyLine(jvm)).get(90, TimeUnit.SECONDS);
      assertThat(ready)
          .as("child JVM did not start the stack: %s", Files.readString(stderr))
          .isNotNull();
      String[] fields = ready.split(" ");
      postgresPid = Long.parseLong(fields[1]);
      redisPid = Long.parseLong(fields[2]);
      assertThat(alive(postgresPid)).isTrue();
      assertThat(alive(redisPid)).isTrue();

      new ProcessBuilder("kill", "-" + signal, Long.toString(jvm.pid()))
          .redirectOutput(new File("/dev/null"))
          .start()
          .waitFor();
      assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      jvm.destroyForcibly();
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while ((alive(postgresPid) || alive(redisPid)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(List.of(alive(postgresPid), alive(redisPid)))
        .as("postgres %d / redis %d alive after SIG%s", postgresPid, redisPid, signal)
        .containsExactly(false, false);
  }

  @Test
  void onSigtermWhatRunsOnTheStackStopsWhileTheDatabaseStillAnswers() throws Exception {
    Path stderr = dataDir.resolve("child-users.err");
    Path report = dataDir.resolve("user-stopped.txt");
    Process jvm = stackJvm(stderr, dataDir.resolve("users").toString(), report.toString());
    try {
      String ready = CompletableFuture.supplyAsync(() -> readyLine(jvm)).get(90, TimeUnit.SECONDS);
      assertThat(ready)
          .as("child JVM did not start the stack: %s", Files.readString(stderr))
          .isNotNull();
      new ProcessBuilder("kill", "-TERM", Long.toString(jvm.pid())).start().waitFor();
      assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      jvm.destroyForcibly();
    }
    assertThat(Files.readString(report)).isEqualTo("database answered 1");
  }

  private static Process stackJvm(Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    // A JVM keeps the signals it was started ignoring ignored (SIGINT is ignored under nohup or in
    // a background job of a script, and children inherit that): start the stack's JVM with the
    // default dispositions, as a terminal would, so that it can be stopped the way a user does.
    command.addAll(List.of("env", "--default-signal=INT,TERM,HUP"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StackProcessMain.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  private static String readyLine(Process jvm) {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("READY "));
      return line;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
