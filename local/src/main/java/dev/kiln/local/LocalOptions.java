package dev.kiln.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ./kiln up} and {@code ./kiln demo} were asked to do, read from the command line and
 * the environment ({@code KILN_PORT}, {@code KILN_ADMIN_PORT}, {@code KILN_DATA} for {@code up},
 * {@code KILN_AGENTS} for both; an option wins over its variable). {@link #parse} throws {@link
 * IllegalArgumentException} with a one-line message for anything it cannot read.
 *
 * @param command {@code up} or {@code demo}
 * @param port the API's port (0 picks a free one)
 * @param adminPort the API's admin port (0 picks a free one)
 * @param dataDir where the platform keeps its data
 * @param agents the most agent processes, if chosen
 * @param demoBytes the demo input's size
 * @param processor the demo's processor
 */
record LocalOptions(
    String command,
    int port,
    int adminPort,
    Path dataDir,
    Optional<Integer> agents,
    long demoBytes,
    String processor) {

  /** The processors whose output the demo can check. */
  static final List<String> DEMO_PROCESSORS = List.of("tf-savedmodel", "parse");

  static final String USAGE =
      "usage: kiln up [--port N] [--admin-port N] [--data DIR] [--agents N]"
          + " | kiln demo [SIZE] [--processor tf-savedmodel|parse] [--agents N]";

  private static final long DEFAULT_DEMO_BYTES = 200_000_000;

  /**
   * Reads {@code args} (the command first) and {@code env}; relative directories are resolved
   * against {@code root}.
   */
  static LocalOptions parse(List<String> args, Map<String, String> env, Path root) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("no command; " + USAGE);
    }
    String command = args.get(0);
    if (!command.equals("up") && !command.equals("demo")) {
      throw new IllegalArgumentException("unknown command '" + command + "'; " + USAGE);
    }
    boolean up = command.equals("up");
    // The demo runs on free ports and a data directory of its own, whatever the environment says.
    int port = up ? port(env.get("KILN_PORT"), "KILN_PORT", 8080) : 0;
    int adminPort = up ? port(env.get("KILN_ADMIN_PORT"), "KILN_ADMIN_PORT", 8081) : 0;
    String data = up ? env.getOrDefault("KILN_DATA", "") : "";
    Optional<Integer> agents = agents(env.get("KILN_AGENTS"), "KILN_AGENTS");
    long demoBytes = DEFAULT_DEMO_BYTES;
    String processor = "tf-savedmodel";
    boolean sizeSeen = false;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean takesValue =
          List.of("--port", "--admin-port", "--data", "--agents", "--processor").contains(name);
      String value = null;
      if (takesValue) {
        if (arg.contains("=")) {
          value = arg.substring(arg.indexOf('=') + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException(name + " needs a value; " + USAGE);
        }
      }
      switch (name) {
        case "--agents" -> agents = agents(value, name);
        case "--port" -> port = onlyFor(up, name, port(value, name, port));
        case "--admin-port" -> adminPort = onlyFor(up, name, port(value, name, adminPort));
        case "--data" -> data = onlyFor(up, name, value);
        case "--processor" -> processor = onlyFor(!up, name, processor(value));
        default -> {
          if (up || arg.startsWith("-") || sizeSeen) {
            throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
          }
          demoBytes = Sizes.parse(arg);
          sizeSeen = true;
        }
      }
    }
    if (port != 0 && port == adminPort) {
      throw new IllegalArgumentException(
          "the API and its admin port are both " + port + "; give them different ports");
    }
    Path dataDir =
        root.resolve(data.isBlank() ? (up ? ".kiln/data" : ".kiln/demo") : data)
            .toAbsolutePath()
            .normalize();
    return new LocalOptions(command, port, adminPort, dataDir, agents, demoBytes, processor);
  }

  private static <T> T onlyFor(boolean allowed, String option, T value) {
    if (!allowed) {
      throw new IllegalArgumentException(option + " is not an option of this command; " + USAGE);
    }
    return value;
  }

  private static int port(String value, String name, int otherwise) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    int port = integer(value, name);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be a port from 0 to 65535, got " + value);
    }
    return port;
  }

  private static Optional<Integer> agents(String value, String name) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    int agents = integer(value, name);
    if (agents < 1) {
      throw new IllegalArgumentException(name + " must be 1 or more, got " + value);
    }
    return Optional.of(agents);
  }

  private static String processor(String value) {
    if (!DEMO_PROCESSORS.contains(value)) {
      throw new IllegalArgumentException(
          "the demo runs the processor tf-savedmodel or parse, not '" + value + "'");
    }
    return value;
  }

  private static int integer(String value, String name) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
    }
  }
}
