package dev.kiln.architecture;

import dev.kiln.model.FileState;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.ShardState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds second definitions of a contract between processes in source text: a {@code "kiln:} Redis
 * key or tag outside the two classes that define them, a job, shard or file state spelt as a Java
 * string or an SQL literal outside the model, an outbox event type spelt outside {@link
 * OutboxEventType}. Migrations may spell states (they define the schema's checks); this module's
 * own sources, which hold the patterns and their examples, are not scanned. Stateless.
 */
final class ContractLiterals {
  /** The only files that may spell a {@code "kiln:} key, prefix, topic or tag. */
  static final Set<String> KEY_HOMES = Set.of("RedisKeys.java", "InstanceTags.java");

  private static final Pattern KILN_KEY = Pattern.compile("\"kiln:[A-Za-z*{]");
  private static final Pattern STATE_LITERAL = statePattern();
  private static final Pattern EVENT_LITERAL = eventPattern();

  private ContractLiterals() {}

  /** One place where a contract is spelt again. */
  record Violation(Path file, int line, String what) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + what;
    }
  }

  /** Every violation in the Java sources and SQL or Lua resources under {@code root}. */
  static List<Violation> scan(Path root) {
    List<Violation> violations = new ArrayList<>();
    for (Path file : sources(root)) {
      violations.addAll(
          scanFile(root.relativize(file).toString().replace('\\', '/'), read(file), file));
    }
    return violations;
  }

  private static List<Violation> scanFile(String relative, List<String> lines, Path file) {
    List<Violation> violations = new ArrayList<>();
    String name = file.getFileName().toString();
    boolean model = relative.contains("/dev/kiln/model/");
    boolean migration = relative.contains("/db/migration/");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (KILN_KEY.matcher(line).find() && !KEY_HOMES.contains(name)) {
        violations.add(
            new Violation(file, i + 1, "a \"kiln: key spelt outside RedisKeys or InstanceTags"));
      }
      Matcher state = STATE_LITERAL.matcher(line);
      if (state.find() && !model && !migration) {
        violations.add(
            new Violation(
                file, i + 1, "the state " + state.group(1) + " spelt outside the model's enums"));
      }
      Matcher event = EVENT_LITERAL.matcher(line);
      if (event.find() && !name.equals("OutboxEventType.java") && !migration) {
        violations.add(
            new Violation(
                file,
                i + 1,
                "the event type " + event.group(1) + " spelt outside OutboxEventType"));
      }
    }
    return violations;
  }

  private static List<Path> sources(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(ContractLiterals::isSource).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isSource(Path file) {
    String path = file.toString().replace('\\', '/');
    if (!path.contains("/src/")
        || path.contains("/target/")
        || path.contains("/node_modules/")
        || path.contains("/architecture/src/")) {
      return false;
    }
    return path.endsWith(".java") || path.endsWith(".sql") || path.endsWith(".lua");
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Pattern statePattern() {
    Set<String> names = new LinkedHashSet<>();
    EnumSet.allOf(JobState.class).forEach(s -> names.add(s.name()));
    EnumSet.allOf(ShardState.class).forEach(s -> names.add(s.name()));
    EnumSet.allOf(FileState.class).forEach(s -> names.add(s.name()));
    String alternatives = String.join("|", names);
    return Pattern.compile("[\"'](" + alternatives + ")[\"']");
  }

  private static Pattern eventPattern() {
    String alternatives =
        EnumSet.allOf(OutboxEventType.class).stream()
            .map(type -> Pattern.quote(type.wireName()))
            .collect(Collectors.joining("|"));
    return Pattern.compile("[\"'](" + alternatives + ")[\"']");
  }
}
