package dev.kiln.client.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.model.InvalidValueException;
import java.util.Locale;
import java.util.Set;

/**
 * Tuning of a job; every field is optional and the scheduler fills in its defaults. {@code split}
 * is {@code lines} or {@code none} (one shard per file, for CSV with quoted newlines); {@code
 * format} is {@code csv}, {@code jsonl} or {@code text} (guessed from the file name when absent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobParams(
    Long shardBytes,
    String split,
    String format,
    Integer batchSize,
    Double maxErrorRate,
    Integer maxAttempts) {
  public static final long MIN_SHARD_BYTES = 65_536;
  public static final long MAX_SHARD_BYTES = 5L * 1024 * 1024 * 1024;
  private static final Set<String> SPLITS = Set.of("lines", "none");
  private static final Set<String> FORMATS = Set.of("csv", "jsonl", "text");

  public static final JobParams DEFAULTS = new JobParams(null, null, null, null, null, null);

  public JobParams {
    if (shardBytes != null && (shardBytes < MIN_SHARD_BYTES || shardBytes > MAX_SHARD_BYTES)) {
      throw new InvalidValueException(
          "'params.shardBytes' must be between "
              + MIN_SHARD_BYTES
              + " (64 KiB) and "
              + MAX_SHARD_BYTES
              + " (5 GiB).");
    }
    split = oneOf(split, SPLITS, "params.split");
    format = oneOf(format, FORMATS, "params.format");
    if (batchSize != null && (batchSize < 1 || batchSize > 100_000)) {
      throw new InvalidValueException("'params.batchSize' must be between 1 and 100000.");
    }
    if (maxErrorRate != null
        && (maxErrorRate.isNaN() || maxErrorRate < 0.0 || maxErrorRate > 1.0)) {
      throw new InvalidValueException("'params.maxErrorRate' must be between 0 and 1.");
    }
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 20)) {
      throw new InvalidValueException("'params.maxAttempts' must be between 1 and 20.");
    }
  }

  private static String oneOf(String value, Set<String> allowed, String field) {
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new InvalidValueException(
          "'"
              + field
              + "' must be one of "
              + String.join(", ", allowed.stream().sorted().toList())
              + ".");
    }
    return lower;
  }
}
