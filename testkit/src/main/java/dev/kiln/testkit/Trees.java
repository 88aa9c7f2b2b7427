package dev.kiln.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes the directories that test and benchmark stacks leave behind. Stateless. */
public final class Trees {
  private static final Logger LOG = LoggerFactory.getLogger(Trees.class);

  private Trees() {}

  /** Deletes {@code dir} and everything under it; logs, and goes on, when something stays. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete {}", dir, e);
    }
  }
}
