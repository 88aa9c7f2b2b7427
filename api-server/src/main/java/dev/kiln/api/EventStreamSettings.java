package dev.kiln.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Server-sent event streams of jobs: {@code maxStreamsPerAccount} open at once per account (across
 * every API process), after how long without news a stream writes a heartbeat comment ({@code
 * heartbeatEvery}; news itself is pushed, never polled), how long one stream lasts before the
 * client reconnects ({@code maxDuration}), how often a stream checks that its credential still
 * holds ({@code credentialCheckEvery}), and the {@code threads} that write to all streams of a
 * process (no stream holds a thread while it waits).
 */
public class EventStreamSettings {
  @Min(1)
  private int maxStreamsPerAccount = 8;

  @NotNull private Duration heartbeatEvery = Duration.seconds(5);
  @NotNull private Duration maxDuration = Duration.minutes(5);
  @NotNull private Duration credentialCheckEvery = Duration.seconds(2);

  @Min(1)
  @Max(64)
  private int threads = 4;

  @JsonProperty
  public int getMaxStreamsPerAccount() {
    return maxStreamsPerAccount;
  }

  @JsonProperty
  public void setMaxStreamsPerAccount(int maxStreamsPerAccount) {
    this.maxStreamsPerAccount = maxStreamsPerAccount;
  }

  @JsonProperty
  public Duration getHeartbeatEvery() {
    return heartbeatEvery;
  }

  @JsonProperty
  public void setHeartbeatEvery(Duration heartbeatEvery) {
    this.heartbeatEvery = heartbeatEvery;
  }

  @JsonProperty
  public Duration getMaxDuration() {
    return maxDuration;
  }

  @JsonProperty
  public void setMaxDuration(Duration maxDuration) {
    this.maxDuration = maxDuration;
  }

  @JsonProperty
  public Duration getCredentialCheckEvery() {
    return credentialCheckEvery;
  }

  @JsonProperty
  public void setCredentialCheckEvery(Duration credentialCheckEvery) {
    this.credentialCheckEvery = credentialCheckEvery;
  }

  @JsonProperty
  public int getThreads() {
    return threads;
  }

  @JsonProperty
  public void setThreads(int threads) {
    this.threads = threads;
  }
}
