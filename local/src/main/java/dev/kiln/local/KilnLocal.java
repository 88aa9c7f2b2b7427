package dev.kiln.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./kiln up} and {@code ./kiln demo [SIZE] [--processor NAME]}: the platform on this
 * machine.
 */
public final class KilnLocal {
  private static final Path ROOT =
      Path.of(System.getProperty("kiln.home", ".")).toAbsolutePath().normalize();

  private KilnLocal() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "up" : args[0];
    int status =
        switch (command) {
          case "up" -> up();
          case "demo" -> demo(args);
          default -> {
            System.err.println(
                "usage: kiln up | kiln demo [SIZE] [--processor tf-savedmodel|parse]");
            yield 2;
          }
        };
    System.exit(status);
  }

  private static int up() throws Exception {
    LocalSettings settings = settings(ROOT.resolve(".kiln/data"), 8080, 8081);
    try (LocalPlatform platform = LocalPlatform.start(settings)) {
      System.out.println(platform.describe());
      System.out.println("Press Ctrl-C to stop.");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("\nstopping Kiln...");
                    platform.close();
                    stop.countDown();
                  },
                  "kiln-stop"));
      stop.await();
    }
    return 0;
  }

  private static int demo(String[] args) throws Exception {
    long size = 200_000_000;
    String processor = "tf-savedmodel";
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--processor") && i + 1 < args.length) {
        processor = args[++i];
      } else {
        size = Sizes.parse(args[i]);
      }
    }
    Path dataDir = ROOT.resolve(".kiln/demo");
    deleteTree(dataDir);
    PrintStream console = System.out;
    long started = System.nanoTime();
    try (LocalPlatform platform = LocalPlatform.start(settings(dataDir, 0, 0))) {
      console.printf(
          "platform up in %.1f s: %s, %d agents%n",
          (System.nanoTime() - started) / 1e9, platform.apiUrl(), platform.fleet().size());
      boolean ok =
          new Demo(platform, dataDir.resolve("work"), console)
              .run(size, processor, Duration.ofHours(1));
      console.println(ok ? "demo passed" : "demo FAILED");
      return ok ? 0 : 1;
    } finally {
      deleteTree(dataDir.resolve("work"));
    }
  }

  private static LocalSettings settings(Path dataDir, int apiPort, int adminPort) {
    int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
    int minAgents = Math.max(1, Integer.getInteger("kiln.minAgents", 2));
    int maxAgents = Math.max(minAgents, Integer.getInteger("kiln.maxAgents", cores));
    return new LocalSettings(
        dataDir,
        apiPort,
        adminPort,
        minAgents,
        maxAgents,
        System.getProperty("kiln.classpath", System.getProperty("java.class.path")),
        ROOT.resolve("target/javacpp"));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
