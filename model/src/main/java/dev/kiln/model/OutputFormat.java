package dev.kiln.model;

import java.util.Locale;

/**
 * How a job's outputs are written: JSON lines (one output record a line, the default), or one
 * Parquet file per input whose columns are the output records' fields (see {@code
 * protocol.parquet.JsonParquet} for how the columns are typed and agreed across shards).
 */
public enum OutputFormat {
  JSONL,
  PARQUET;

  /** The name a job's parameters spell it with. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format named {@code value} (any case); JSON lines when absent. */
  public static OutputFormat fromParam(String value) {
    return value == null ? JSONL : valueOf(value.toUpperCase(Locale.ROOT));
  }
}
