package dev.kiln.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A supervised stack starts a PostgreSQL postmaster or a Redis server killed with SIGKILL again on
 * the same port and data, logging one line for each, and clients on the old address work again.
 */
class ServiceSupervisorIT {
  private static final long DEADLINE_MS = 60_000;

  @TempDir Path dataDir;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger supervisorLog = (Logger) LoggerFactory.getLogger(ServiceSupervisor.class);
  private EmbeddedStack stack;

  @BeforeEach
  void start() {
    log.start();
    supervisorLog.addAppender(log);
    stack = EmbeddedStack.start(StackOptions.embeddedAt(dataDir).withDurableStorage());
    stack.supervise(Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    stack.close();
    supervisorLog.detachAppender(log);
  }

  @Test
  void aKilledPostmasterIsStartedAgainOnTheSamePortWithItsData() throws Exception {
    query("create table kept (id int primary key); insert into kept values (42)");
    long postmaster = postmasterPid();

    kill(postmaster);

    String found = awaitQuery("select id from kept");
    assertThat(found).isEqualTo("42");
    assertThat(postmasterPid()).isNotEqualTo(postmaster);
    awaitLogLine();
    assertThat(log.list)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.getFormattedMessage())
                    .startsWith("PostgreSQL had died; started again (pid ")
                    .contains("on port " + stack.postgres().port()));
  }

  @Test
  void aKilledRedisIsStartedAgainOnTheSamePort() throws Exception {
    long pid = Long.parseLong(info("process_id"));

    kill(pid);

    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String pong = null;
    while (!"+PONG".equals(pong) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      try {
        pong = EmbeddedStackIT.redis(stack.redisUri(), "PING");
      } catch (IOException down) {
        pong = null;
      }
    }
    assertThat(pong).isEqualTo("+PONG");
    assertThat(Long.parseLong(info("process_id"))).isNotEqualTo(pid);
    awaitLogLine();
    assertThat(log.list)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line.getFormattedMessage())
                    .startsWith("Redis had died; started again (pid ")
                    .contains("on port " + URI.create(stack.redisUri()).getPort()));
  }

  /** SIGKILL to the process alone (not to its children), and waits until it is gone. */
  private static void kill(long pid) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    assertThat(process.destroyForcibly()).isTrue();
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0));
  }

  /** A field of {@code INFO server}, read over a plain socket. */
  private String info(String field) throws Exception {
    URI uri = URI.create(stack.redisUri());
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(field + ":")) {
          return line.substring(field.length() + 1).strip();
        }
      }
    }
    throw new AssertionError("no " + field + " in INFO server");
  }

  /** Runs {@code sql} until it succeeds (the server may be restarting); answers the first value. */
  private String awaitQuery(String sql) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    SQLException last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        return query(sql);
      } catch (SQLException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("PostgreSQL did not come back", last);
  }

  private String query(String sql) throws SQLException {
    PostgresEndpoint pg = stack.postgres();
    try (Connection connection =
            DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        return null;
      }
      try (ResultSet rows = statement.getResultSet()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** The supervisor logs its restart after the service answers again: wait for the line. */
  private void awaitLogLine() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.list.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
