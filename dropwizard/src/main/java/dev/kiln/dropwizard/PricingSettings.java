package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.PriceTable;
import dev.kiln.model.Pricing;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code pricing} section every Kiln service reads, so the API's job costs and the scheduler's
 * budget count spend at one price: {@code agentHourlyUsd}, one agent for one hour in USD. {@code
 * instances} prices each instance type on demand and on spot: a job's cost by machine ({@code GET
 * /api/v1/jobs/{id}/cost}) uses them, and the flat price for any machine they do not name.
 */
public class PricingSettings {
  @DecimalMin("0")
  private double agentHourlyUsd = Pricing.DEFAULT_AGENT_HOURLY_USD;

  @Valid @NotNull private Map<String, InstancePriceSettings> instances = defaultInstances();

  /** us-east-1 prices of the default agent machines; spot at a typical discount. */
  private static Map<String, InstancePriceSettings> defaultInstances() {
    Map<String, InstancePriceSettings> prices = new LinkedHashMap<>();
    prices.put("g4dn.xlarge", price(0.526, 0.2104));
    prices.put("c7g.large", price(0.0725, 0.029));
    return prices;
  }

  private static InstancePriceSettings price(double onDemand, double spot) {
    InstancePriceSettings price = new InstancePriceSettings();
    price.setOnDemandHourlyUsd(onDemand);
    price.setSpotHourlyUsd(spot);
    return price;
  }

  @JsonProperty
  public Map<String, InstancePriceSettings> getInstances() {
    return instances;
  }

  @JsonProperty
  public void setInstances(Map<String, InstancePriceSettings> instances) {
    this.instances = instances;
  }

  public PriceTable priceTable() {
    Map<String, PriceTable.InstancePrice> prices = new LinkedHashMap<>();
    instances.forEach((type, price) -> prices.put(type, price.price()));
    return new PriceTable(pricing(), prices);
  }

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
