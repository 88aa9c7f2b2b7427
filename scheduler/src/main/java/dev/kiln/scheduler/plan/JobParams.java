package dev.kiln.scheduler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.InputFormat;
import dev.kiln.scheduler.SchedulerSettings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job parameters the scheduler reads: {@code shardBytes}, {@code split} ({@code none} or {@code
 * lines}), {@code format}, {@code maxAttempts} and {@code maxErrorRate}; every parameter is also
 * handed to the processor as text.
 */
public record JobParams(
    Map<String, String> all,
    long shardBytes,
    boolean splittable,
    Optional<InputFormat> format,
    int maxAttempts,
    double maxErrorRate) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses {@code params_json}.
   *
   * @throws IllegalArgumentException with a message for the job's owner when a value is invalid
   */
  public static JobParams parse(String paramsJson, SchedulerSettings defaults) {
    Map<String, String> all = new LinkedHashMap<>();
    try {
      JsonNode root = JSON.readTree(paramsJson == null || paramsJson.isBlank() ? "{}" : paramsJson);
      if (!root.isObject()) {
        throw new IllegalArgumentException("params must be a JSON object");
      }
      root.fields()
          .forEachRemaining(
              e ->
                  all.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    } catch (IOException e) {
      throw new IllegalArgumentException("params are not a JSON object: " + e.getMessage());
    }
    long shardBytes = number(all, "shardBytes", defaults.defaultShardBytes());
    String split = all.getOrDefault("split", "lines");
    if (!split.equals("lines") && !split.equals("none")) {
      throw new IllegalArgumentException("split must be 'lines' or 'none', was '" + split + "'");
    }
    Optional<InputFormat> format = Optional.empty();
    if (all.containsKey("format")) {
      format = InputFormat.parse(all.get("format"));
      if (format.isEmpty()) {
        throw new IllegalArgumentException(
            "format must be csv, jsonl or text, was '" + all.get("format") + "'");
      }
    }
    int maxAttempts = (int) number(all, "maxAttempts", defaults.defaultMaxAttempts());
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1..100, was " + maxAttempts);
    }
    double maxErrorRate = defaults.defaultMaxErrorRate();
    if (all.containsKey("maxErrorRate")) {
      try {
        maxErrorRate = Double.parseDouble(all.get("maxErrorRate"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("maxErrorRate must be a number between 0 and 1");
      }
      if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
        throw new IllegalArgumentException("maxErrorRate must be between 0 and 1");
      }
    }
    return new JobParams(all, shardBytes, split.equals("lines"), format, maxAttempts, maxErrorRate);
  }

  private static long number(Map<String, String> all, String name, long fallback) {
    String value = all.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'");
    }
  }
}
