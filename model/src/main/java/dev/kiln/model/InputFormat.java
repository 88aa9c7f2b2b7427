package dev.kiln.model;

import java.util.Locale;
import java.util.Optional;

/**
 * How an input file is laid out: line-delimited records ({@code CSV}, {@code JSONL}, {@code TEXT}),
 * an archive whose every file is one record ({@code ZIP}, {@code TAR}), or a Parquet file whose
 * every row is one record ({@code PARQUET}, split by row groups).
 */
public enum InputFormat {
  CSV(true),
  JSONL(false),
  TEXT(false),
  ZIP(false),
  TAR(false),
  PARQUET(false);

  private final boolean hasHeader;

  InputFormat(boolean hasHeader) {
    this.hasHeader = hasHeader;
  }

  /** Whether the first line is a header that every shard must be given. */
  public boolean hasHeader() {
    return hasHeader;
  }

  /** Whether every record is one file of an archive (its name and bytes), not a line. */
  public boolean isArchive() {
    return this == ZIP || this == TAR;
  }

  /** Whether records are the rows of a Parquet file, cut where its row groups start. */
  public boolean isParquet() {
    return this == PARQUET;
  }

  /**
   * Guesses the format from a file name: {@code .csv}, {@code .jsonl}/{@code .ndjson}, {@code
   * .zip}, {@code .tar}/{@code .tgz}, {@code .parquet}, else text; a compression extension after it
   * ({@code rows.csv.gz}, {@code images.tar.gz}) is looked through.
   */
  public static InputFormat fromFileName(String name) {
    if (name.toLowerCase(Locale.ROOT).endsWith(".tgz")) {
      return TAR;
    }
    String lower = Compression.stripExtension(name).toLowerCase(Locale.ROOT);
    if (lower.endsWith(".zip")) {
      return ZIP;
    }
    if (lower.endsWith(".tar")) {
      return TAR;
    }
    if (lower.endsWith(".parquet")) {
      return PARQUET;
    }
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
