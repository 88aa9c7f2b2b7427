package dev.kiln.model;

import java.util.Locale;
import java.util.Optional;

/** How an input file is laid out; all are line-delimited records. */
public enum InputFormat {
  CSV(true),
  JSONL(false),
  TEXT(false);

  private final boolean hasHeader;

  InputFormat(boolean hasHeader) {
    this.hasHeader = hasHeader;
  }

  /** Whether the first line is a header that every shard must be given. */
  public boolean hasHeader() {
    return hasHeader;
  }

  /**
   * Guesses the format from a file name: {@code .csv}, {@code .jsonl}/{@code .ndjson}, else text; a
   * compression extension after it ({@code rows.csv.gz}) is looked through.
   */
  public static InputFormat fromFileName(String name) {
    String lower = Compression.stripExtension(name).toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
      return JSONL;
    }
    return TEXT;
  }

  public static Optional<InputFormat> parse(String value) {
    for (InputFormat format : values()) {
      if (format.name().equalsIgnoreCase(value)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
