package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Job settings: the processors users may name and the agent price used for cost. {@code
 * readCacheLifetime}: how long a process may keep a job it read (a change made through the API
 * drops it at once in every API process through a Redis topic; what the scheduler changes shows
 * within this lifetime); {@code 0s} reads every poll from the database. {@code readsInFlight}: how
 * many job reads one process runs against the database at once; polls that arrive meanwhile are
 * read together in the next one.
 */
public class JobSettings {
  @NotEmpty
  private List<@NotEmpty String> processors = List.of("parse", "checksum", "tf-savedmodel");

  /** Processors that need a model file. */
  @NotNull private List<@NotEmpty String> modelProcessors = List.of("tf-savedmodel");

  @NotNull private Duration readCacheLifetime = Duration.seconds(1);

  @Min(1)
  private int readsInFlight = 1;

  @JsonProperty
  public List<String> getProcessors() {
    return processors;
  }

  @JsonProperty
  public void setProcessors(List<String> processors) {
    this.processors = processors;
  }

  @JsonProperty
  public List<String> getModelProcessors() {
    return modelProcessors;
  }

  @JsonProperty
  public void setModelProcessors(List<String> modelProcessors) {
    this.modelProcessors = modelProcessors;
  }

  @JsonProperty
  public Duration getReadCacheLifetime() {
    return readCacheLifetime;
  }

  @JsonProperty
  public void setReadCacheLifetime(Duration readCacheLifetime) {
    this.readCacheLifetime = readCacheLifetime;
  }

  @JsonProperty
  public int getReadsInFlight() {
    return readsInFlight;
  }

  @JsonProperty
  public void setReadsInFlight(int readsInFlight) {
    this.readsInFlight = readsInFlight;
  }
}
