package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.PriceTable;
import jakarta.validation.constraints.DecimalMin;

/** One instance type's prices in the {@code pricing.instances} section, USD per hour. */
public class InstancePriceSettings {
  @DecimalMin("0")
  private double onDemandHourlyUsd;

  @DecimalMin("0")
  private double spotHourlyUsd;

  @JsonProperty
  public double getOnDemandHourlyUsd() {
    return onDemandHourlyUsd;
  }

  @JsonProperty
  public void setOnDemandHourlyUsd(double onDemandHourlyUsd) {
    this.onDemandHourlyUsd = onDemandHourlyUsd;
  }

  @JsonProperty
  public double getSpotHourlyUsd() {
    return spotHourlyUsd;
  }

  @JsonProperty
  public void setSpotHourlyUsd(double spotHourlyUsd) {
    this.spotHourlyUsd = spotHourlyUsd;
  }

  PriceTable.InstancePrice price() {
    return new PriceTable.InstancePrice(onDemandHourlyUsd, spotHourlyUsd);
  }
}
