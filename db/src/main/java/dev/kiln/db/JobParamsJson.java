package dev.kiln.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.kiln.model.InvalidValueException;
import dev.kiln.model.JobParams;

/**
 * The {@code jobs.params_json} column: {@link JobParams} as JSON, written by the API and read by
 * the scheduler. Fields it does not know are ignored when read, so a row written by a newer API
 * still plans. Thread-safe.
 */
public final class JobParamsJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JobParamsJson() {}

  public static String write(JobParams params) {
    try {
      return JSON.writeValueAsString(params == null ? JobParams.DEFAULTS : params);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write job parameters as JSON", e);
    }
  }

  /**
   * The parameters in {@code json}; blank means none.
   *
   * @throws InvalidValueException with a sentence for the job's owner when a value is invalid
   */
  public static JobParams read(String json) {
    if (json == null || json.isBlank()) {
      return JobParams.DEFAULTS;
    }
    try {
      JobParams params = JSON.readValue(json, JobParams.class);
      return params == null ? JobParams.DEFAULTS : params;
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof InvalidValueException invalid) {
        throw invalid;
      }
      throw new InvalidValueException(
          "The job's parameters are not valid: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidValueException(
          "The job's parameters must be a JSON object: " + e.getOriginalMessage());
    }
  }
}
