package dev.kiln.client.api;

import dev.kiln.model.InvalidValueException;
import dev.kiln.model.JobParams;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/jobs}: run {@code processor} over the {@code inputs} (ids of READY files),
 * with an optional {@code model} file, tuning {@code params} and {@code priority} (0..9, higher
 * first within the owner's work).
 */
public record JobCreateRequest(
    String processor, List<UUID> inputs, UUID model, JobParams params, Integer priority) {
  public static final int MAX_INPUTS = 100;

  public JobCreateRequest {
    processor = Validation.requireText(processor, "processor", 64).strip();
    if (inputs == null || inputs.isEmpty()) {
      throw new InvalidValueException("'inputs' must list at least one file id.");
    }
    if (inputs.size() > MAX_INPUTS) {
      throw new InvalidValueException("'inputs' may list at most " + MAX_INPUTS + " files.");
    }
    if (inputs.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidValueException("'inputs' must not contain null.");
    }
    if (new HashSet<>(inputs).size() != inputs.size()) {
      throw new InvalidValueException("'inputs' lists the same file twice.");
    }
    inputs = List.copyOf(inputs);
    params = params == null ? JobParams.DEFAULTS : params;
    if (priority == null) {
      priority = 0;
    } else if (priority < 0 || priority > 9) {
      throw new InvalidValueException("'priority' must be between 0 and 9.");
    }
  }
}
