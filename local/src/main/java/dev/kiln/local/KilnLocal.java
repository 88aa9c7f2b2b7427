package dev.kiln.local;

import dev.kiln.embedded.IncompatibleDataException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./kiln up} and {@code ./kiln demo}: the platform on this machine. Arguments are checked
 * before anything starts (exit 2); a port in use, data of another build or a failed start is one
 * line (exit 1).
 */
public final class KilnLocal {
  private static final PrintStream OUT = System.out;
  private static final PrintStream ERR = System.err;

  private KilnLocal() {}

  public static void main(String[] args) {
    Path root = Path.of(System.getProperty("kiln.home", ".")).toAbsolutePath().normalize();
    LocalOptions options;
    try {
      options = LocalOptions.parse(List.of(args), System.getenv(), root);
    } catch (IllegalArgumentException e) {
      ERR.println("kiln: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = options.command().equals("up") ? up(options, root) : demo(options, root);
    } catch (Exception | Error e) {
      ERR.println("kiln: " + whyItFailed(e, options));
      status = 1;
    }
    // Exits even where a failed start left threads behind.
    System.exit(status);
  }

  private static int up(LocalOptions options, Path root) throws Exception {
    Optional<String> taken =
        Ports.taken(options.port(), "--port", "KILN_PORT")
            .or(() -> Ports.taken(options.adminPort(), "--admin-port", "KILN_ADMIN_PORT"));
    if (taken.isPresent()) {
      ERR.println("kiln: " + taken.get());
      return 1;
    }
    StopSignal stop = StopSignal.install();
    OUT.println("starting Kiln, data in " + options.dataDir() + " ...");
    try (LocalPlatform platform = LocalPlatform.start(settings(options, root, true))) {
      OUT.println(platform.describe());
      OUT.println("Press Ctrl-C to stop.");
      stop.await();
      OUT.println();
      OUT.println("stopping Kiln: the API and the scheduler, the agents, then the services...");
    }
    OUT.println("stopped");
    return 0;
  }

  private static int demo(LocalOptions options, Path root) throws Exception {
    Path dataDir = options.dataDir();
    LocalPlatform.deleteTree(dataDir);
    long started = System.nanoTime();
    OUT.println("starting Kiln on embedded services (logs in " + dataDir.resolve("logs") + ")...");
    boolean ok;
    try (LocalPlatform platform = LocalPlatform.start(settings(options, root, false))) {
      OUT.printf(
          Locale.ROOT,
          "platform up in %.1f s: %s, %d agents%n",
          (System.nanoTime() - started) / 1e9,
          platform.apiUrl(),
          platform.fleet().size());
      ok =
          new Demo(platform, dataDir.resolve("work"), OUT, System.console() != null)
              .run(options.demoBytes(), options.processor(), Duration.ofHours(1));
      OUT.println("stopping the platform...");
    }
    if (ok) {
      LocalPlatform.deleteTree(dataDir);
      OUT.println("demo passed; removed its data (" + dataDir + ")");
      return 0;
    }
    OUT.println(
        "demo FAILED; its data and logs are kept in " + dataDir + " (the next demo removes them)");
    return 1;
  }

  private static LocalSettings settings(LocalOptions options, Path root, boolean consoleLogs) {
    int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
    int maxAgents =
        options.agents().orElse(Math.max(1, Integer.getInteger("kiln.maxAgents", cores)));
    int minAgents = Math.max(1, Math.min(maxAgents, Integer.getInteger("kiln.minAgents", 2)));
    return new LocalSettings(
        options.dataDir(),
        options.port(),
        options.adminPort(),
        minAgents,
        maxAgents,
        System.getProperty("kiln.classpath", System.getProperty("java.class.path")),
        root.resolve("target/javacpp"),
        consoleLogs);
  }

  /** One line that says what went wrong and what to do. */
  static String whyItFailed(Throwable failure, LocalOptions options) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IncompatibleDataException incompatible) {
        return options.dataDir()
            + " was made by another build of Kiln and cannot be used ("
            + incompatible.reason()
            + "): move it away or delete it, or start with --data ANOTHER_DIR";
      }
      if (cause instanceof BindException) {
        return "a port is in use ("
            + cause.getMessage()
            + "); choose others with --port N and --admin-port N";
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "could not start: " + root + savedTrace(failure, options.dataDir());
  }

  private static String savedTrace(Throwable failure, Path dataDir) {
    Path file = dataDir.resolve("logs").resolve("last-error.txt");
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, trace.toString());
      return " (details in " + file + ")";
    } catch (IOException e) {
      return "";
    }
  }
}
