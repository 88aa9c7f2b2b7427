package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Job settings: the processors users may name and the agent price used for cost. {@code
 * readCacheLifetime}: how long a process may keep a job it read between changes (every change drops
 * it at once through PostgreSQL notifications, so this only bounds a notification connection that
 * died unnoticed); {@code 0s} reads every poll from the database.
 */
public class JobSettings {
  @NotEmpty private List<String> processors = List.of("parse", "tf-savedmodel");

  /** Processors that need a model file. */
  private List<String> modelProcessors = List.of("tf-savedmodel");

  @DecimalMin("0")
  private double agentHourlyPriceUsd = 0.526;

  @NotNull private Duration readCacheLifetime = Duration.seconds(1);

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
  public double getAgentHourlyPriceUsd() {
    return agentHourlyPriceUsd;
  }

  @JsonProperty
  public void setAgentHourlyPriceUsd(double agentHourlyPriceUsd) {
    this.agentHourlyPriceUsd = agentHourlyPriceUsd;
  }

  @JsonProperty
  public Duration getReadCacheLifetime() {
    return readCacheLifetime;
  }

  @JsonProperty
  public void setReadCacheLifetime(Duration readCacheLifetime) {
    this.readCacheLifetime = readCacheLifetime;
  }
}
