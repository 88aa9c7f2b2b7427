package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.Pricing;
import jakarta.validation.constraints.DecimalMin;

/**
 * The {@code pricing} section every Kiln service reads, so the API's job costs and the scheduler's
 * budget count spend at one price: {@code agentHourlyUsd}, one agent for one hour in USD.
 */
public class PricingSettings {
  @DecimalMin("0")
  private double agentHourlyUsd = Pricing.DEFAULT_AGENT_HOURLY_USD;

  @JsonProperty
  public double getAgentHourlyUsd() {
    return agentHourlyUsd;
  }

  @JsonProperty
  public void setAgentHourlyUsd(double agentHourlyUsd) {
    this.agentHourlyUsd = agentHourlyUsd;
  }

  public Pricing pricing() {
    return new Pricing(agentHourlyUsd);
  }
}
