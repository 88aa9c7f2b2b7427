package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** Job settings: the processors users may name and the agent price used for cost. */
public class JobSettings {
  @NotEmpty private List<String> processors = List.of("parse", "tf-savedmodel");

  /** Processors that need a model file. */
  private List<String> modelProcessors = List.of("tf-savedmodel");

  @DecimalMin("0")
  private double agentHourlyPriceUsd = 0.526;

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
}
