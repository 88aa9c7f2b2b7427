package dev.kiln.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tuning of a job, as its owner sends it and as {@code jobs.params_json} stores it. Every field is
 * optional; {@link #resolve} fills in the scheduler's defaults. {@code split} is {@code lines} or
 * {@code none} (one shard per file); {@code format} is {@code csv}, {@code jsonl}, {@code text},
 * {@code zip} or {@code tar} (an archive, one record per file in it), or {@code parquet} (one
 * record per row, shards cut at row groups); guessed from the file name when absent. {@code
 * outputFormat} is {@code jsonl} (the default) or {@code parquet} ({@link OutputFormat}). The
 * limits here are the only ones: the API refuses what {@link #requireSubmittable} refuses, and the
 * scheduler reads nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobParams(
    Long shardBytes,
    String split,
    String format,
    Integer batchSize,
    Double maxErrorRate,
    Integer maxAttempts,
    String outputFormat) {
  /**
   * The smallest {@code shardBytes} a submission may ask for (1 KiB): also the shard planner's
   * floor unless a scheduler is configured otherwise, so a job the API accepts is never refused at
   * planning. The per-job shard limit keeps tiny shards of a large input from flooding the queue.
   */
  public static final long MIN_SHARD_BYTES = 1024;

  public static final long MAX_SHARD_BYTES = 5L * 1024 * 1024 * 1024;
  public static final int MAX_BATCH_SIZE = 100_000;
  public static final int MAX_ATTEMPTS = 20;
  private static final Set<String> SPLITS = Set.of("lines", "none");
  private static final Set<String> FORMATS =
      Set.of("csv", "jsonl", "text", "zip", "tar", "parquet");
  private static final Set<String> OUTPUT_FORMATS = Set.of("jsonl", "parquet");

  public static final JobParams DEFAULTS = new JobParams(null, null, null, null, null, null, null);

  /**
   * @throws InvalidValueException naming the field and its allowed range
   */
  public JobParams {
    if (shardBytes != null && shardBytes < 1) {
      throw new InvalidValueException(shardBytesRange(shardBytes));
    }
    split = oneOf(split, SPLITS, "params.split");
    format = oneOf(format, FORMATS, "params.format");
    if (batchSize != null && (batchSize < 1 || batchSize > MAX_BATCH_SIZE)) {
      throw new InvalidValueException(
          "'params.batchSize' must be between 1 and " + MAX_BATCH_SIZE + ".");
    }
    if (maxErrorRate != null
        && (maxErrorRate.isNaN() || maxErrorRate < 0.0 || maxErrorRate > 1.0)) {
      throw new InvalidValueException("'params.maxErrorRate' must be between 0 and 1.");
    }
    if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS)) {
      throw new InvalidValueException(
          "'params.maxAttempts' must be between 1 and " + MAX_ATTEMPTS + ".");
    }
    outputFormat = outputFormat == null ? null : outputFormat.toLowerCase(Locale.ROOT);
  }

  /** Parameters that leave the output format to its default (JSON lines). */
  public JobParams(
      Long shardBytes,
      String split,
      String format,
      Integer batchSize,
      Double maxErrorRate,
      Integer maxAttempts) {
    this(shardBytes, split, format, batchSize, maxErrorRate, maxAttempts, null);
  }

  /**
   * How the job's outputs are written: JSON lines unless the owner asked for Parquet.
   *
   * @throws InvalidValueException for an output format {@link #requireSubmittable} refuses
   */
  public OutputFormat output() {
    oneOf(outputFormat, OUTPUT_FORMATS, "params.outputFormat");
    return OutputFormat.fromParam(outputFormat);
  }

  /**
   * These parameters, if a new job may ask for them. Stored jobs may hold shard sizes below the
   * floor (a scheduler configured lower plans them), so the constructor checks less; the output
   * format is checked here too, so that the API answers an unknown one as a bad request naming the
   * allowed values.
   *
   * @throws InvalidValueException naming the allowed range of what is out of it
   */
  public JobParams requireSubmittable() {
    if (shardBytes != null && (shardBytes < MIN_SHARD_BYTES || shardBytes > MAX_SHARD_BYTES)) {
      throw new InvalidValueException(shardBytesRange(shardBytes));
    }
    oneOf(outputFormat, OUTPUT_FORMATS, "params.outputFormat");
    return this;
  }

  private static String shardBytesRange(long shardBytes) {
    return "'params.shardBytes' must be between "
        + MIN_SHARD_BYTES
        + " (1 KiB) and "
        + MAX_SHARD_BYTES
        + " (5 GiB); it was "
        + shardBytes
        + ".";
  }

  /** The values a job gets for what it leaves out; the scheduler's configuration sets them. */
  public record Defaults(long shardBytes, int maxAttempts, double maxErrorRate) {}

  /**
   * What the scheduler and the processor work with: every parameter decided.
   *
   * @param all every parameter the owner set, as text, for the processor
   * @param format empty when the owner left it to the file name
   */
  public record Resolved(
      Map<String, String> all,
      long shardBytes,
      boolean splittable,
      Optional<InputFormat> format,
      int maxAttempts,
      double maxErrorRate) {
    public Resolved {
      all = Map.copyOf(all);
    }
  }

  /** These parameters with {@code defaults} for what is absent. */
  public Resolved resolve(Defaults defaults) {
    Map<String, String> all = new LinkedHashMap<>();
    putIfSet(all, "shardBytes", shardBytes);
    putIfSet(all, "split", split);
    putIfSet(all, "format", format);
    putIfSet(all, "batchSize", batchSize);
    putIfSet(all, "maxErrorRate", maxErrorRate);
    putIfSet(all, "maxAttempts", maxAttempts);
    putIfSet(all, "outputFormat", outputFormat);
    return new Resolved(
        all,
        shardBytes != null ? shardBytes : defaults.shardBytes(),
        !"none".equals(split),
        format == null ? Optional.empty() : InputFormat.parse(format),
        maxAttempts != null ? maxAttempts : defaults.maxAttempts(),
        maxErrorRate != null ? maxErrorRate : defaults.maxErrorRate());
  }

  private static void putIfSet(Map<String, String> all, String name, Object value) {
    if (value != null) {
      all.put(name, value.toString());
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
