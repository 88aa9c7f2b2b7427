package dev.kiln.scheduler.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the scheduler's long SQL statements, kept as {@code .sql} files beside this class. */
public final class SchedulerSql {
  private SchedulerSql() {}

  /** The text of {@code name}, e.g. {@code record-done.sql}. */
  public static String read(String name) {
    try (InputStream in = SchedulerSql.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no SQL file " + name + " beside " + SchedulerSql.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
