package dev.kiln.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Starts a stack in its own JVM, prints the server pids and waits to be killed. With a second
 * argument, registers a user of the stack that, when stopped, writes to that file whether the
 * database still answered.
 */
public final class StackProcessMain {

  private StackProcessMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(dataDir));
    if (args.length > 1) {
      Path report = Path.of(args[1]);
      stack.stopFirst(() -> Files.writeString(report, databaseAnswers(stack.postgres())));
    }
    String postmasterPid =
        Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim();
    long redisPid =
        ProcessHandle.current()
            .children()
            // The executable, not the command line: the watchdog shell names redis-server too.
            .filter(p -> p.info().command().orElse("").contains("redis"))
            .findFirst()
            .orElseThrow()
            .pid();
    System.out.println("READY " + postmasterPid + " " + redisPid + " " + stack.redisUri());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static String databaseAnswers(PostgresEndpoint postgres) {
    try {
      return "database answered " + EmbeddedStackIT.queryInt(postgres, "SELECT 1");
    } catch (SQLException e) {
      return "database failed: " + e.getMessage();
    }
  }
}
