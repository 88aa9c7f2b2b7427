package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the operator console finds the release history {@code kiln release} writes. */
public class ReleaseSettings {
  private String opsBucket;

  /** The ops bucket ({@code <estate>-ops-<region>}); null: the console shows no releases. */
  @JsonProperty
  public String getOpsBucket() {
    return opsBucket;
  }

  @JsonProperty
  public void setOpsBucket(String opsBucket) {
    this.opsBucket = opsBucket;
  }
}
