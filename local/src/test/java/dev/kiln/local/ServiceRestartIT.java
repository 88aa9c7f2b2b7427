package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a running local platform, PostgreSQL's postmaster and then Redis are killed with SIGKILL:
 * each is started again on its port and data, the platform says so in one line each, and the parse
 * demo then runs on it with every record in place.
 */
class ServiceRestartIT {
  @TempDir Path dataDir;

  @Test
  void thePlatformWorksAfterItsPostgresAndRedisWereKilled() throws Exception {
    LocalSettings settings =
        new LocalSettings(
            dataDir,
            0,
            0,
            1,
            1,
            System.getProperty("java.class.path"),
            TestSettings.javacppCacheDir(),
            false);
    try (LocalPlatform platform = LocalPlatform.start(settings)) {
      Path postgresDir = dataDir.resolve("services").resolve("postgres");
      long postmaster = firstLine(postgresDir.resolve("postmaster.pid"));
      kill(postmaster);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> platform.client().files(null) != null);
      assertThat(firstLine(postgresDir.resolve("postmaster.pid"))).isNotEqualTo(postmaster);

      long redis = redisPid(platform.stack().redisUri());
      kill(redis);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> redisPid(platform.stack().redisUri()) != redis);

      ByteArrayOutputStream console = new ByteArrayOutputStream();
      Demo demo =
          new Demo(
              platform,
              dataDir.resolve("parse"),
              new PrintStream(console, true, StandardCharsets.UTF_8),
              false);
      assertThat(demo.run(600_000, "parse", Duration.ofMinutes(4)))
          .as(console.toString(StandardCharsets.UTF_8))
          .isTrue();
      String log = Files.readString(platform.logDir().resolve("kiln.log"));
      assertThat(log.lines().filter(line -> line.contains("had died; started again")))
          .hasSize(2)
          .anySatisfy(line -> assertThat(line).contains("PostgreSQL had died"))
          .anySatisfy(line -> assertThat(line).contains("Redis had died"));
    }
  }

  private static long firstLine(Path pidFile) throws Exception {
    return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
  }

  /** SIGKILL to the process alone, and waits until it is gone. */
  private static void kill(long pid) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    assertThat(process.destroyForcibly()).isTrue();
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  /** {@code process_id} of {@code INFO server}. */
  private static long redisPid(String redisUri) throws Exception {
    URI uri = URI.create(redisUri);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("process_id:")) {
          return Long.parseLong(line.substring("process_id:".length()).strip());
        }
      }
    }
    throw new AssertionError("no process_id in INFO server");
  }
}
