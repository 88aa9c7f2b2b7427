package dev.kiln.model;

import java.util.Locale;

/**
 * How an input file is compressed, told by its name ({@code .gz}, {@code .zst}). A compressed input
 * cannot be split by byte ranges (a reader cannot start inside a gzip or zstd stream), so it is one
 * shard, read from its start and decompressed by the agent.
 */
public enum Compression {
  NONE(""),
  GZIP("gzip"),
  ZSTD("zstd");

  private final String label;

  Compression(String label) {
    this.label = label;
  }

  /** The compression a file name says, by its last extension. */
  public static Compression fromFileName(String name) {
    String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz") || lower.endsWith(".gzip") || lower.endsWith(".tgz")) {
      return GZIP;
    }
    if (lower.endsWith(".zst") || lower.endsWith(".zstd")) {
      return ZSTD;
    }
    return NONE;
  }

  /** The name without the compression's extension ({@code rows.csv.gz} to {@code rows.csv}). */
  public static String stripExtension(String name) {
    if (fromFileName(name) == NONE) {
      return name;
    }
    return name.substring(0, name.lastIndexOf('.'));
  }

  /** Whether inputs so compressed can be cut into byte ranges. */
  public boolean splittable() {
    return this == NONE;
  }

  /** Why an input so compressed is one shard, for its owner. */
  public String notSplittableReason(String fileName) {
    return "'" + fileName + "' is " + label + " input, which is not splittable: 1 shard";
  }
}
