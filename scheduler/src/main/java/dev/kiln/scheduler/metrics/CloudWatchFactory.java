package dev.kiln.scheduler.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The {@code cloudWatch} section: whether the scheduler publishes {@link CloudWatchMetrics} (off by
 * default, and locally), for which {@code estate} (the alarms' {@code Estate} dimension), in which
 * region and how often. Credentials come from the default chain (the instance profile) unless
 * {@code accessKey}/{@code secretKey} are set; {@code endpoint} overrides CloudWatch's for tests.
 */
public class CloudWatchFactory {
  private boolean enabled;
  @NotEmpty private String estate = "kiln";
  @NotEmpty private String region = "us-east-1";
  @NotNull private Duration interval = Duration.minutes(1);
  private URI endpoint;
  private String accessKey;
  private String secretKey;

  @JsonProperty
  public boolean isEnabled() {
    return enabled;
  }

  @JsonProperty
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  @JsonProperty
  public String getEstate() {
    return estate;
  }

  @JsonProperty
  public void setEstate(String estate) {
    this.estate = estate;
  }

  @JsonProperty
  public String getRegion() {
    return region;
  }

  @JsonProperty
  public void setRegion(String region) {
    this.region = region;
  }

  @JsonProperty
  public Duration getInterval() {
    return interval;
  }

  @JsonProperty
  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  @JsonProperty
  public URI getEndpoint() {
    return endpoint;
  }

  @JsonProperty
  public void setEndpoint(URI endpoint) {
    this.endpoint = endpoint;
  }

  @JsonProperty
  public String getAccessKey() {
    return accessKey;
  }

  @JsonProperty
  public void setAccessKey(String accessKey) {
    this.accessKey = accessKey;
  }

  @JsonProperty
  public String getSecretKey() {
    return secretKey;
  }

  @JsonProperty
  public void setSecretKey(String secretKey) {
    this.secretKey = secretKey;
  }

  /** The CloudWatch client these settings describe; an endpoint override gets no retries. */
  public CloudWatchClient client() {
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    if (endpoint != null) {
      override.retryStrategy(AwsRetryStrategy.doNotRetry());
    }
    AwsCredentialsProvider credentials =
        accessKey == null || accessKey.isBlank()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    var builder =
        CloudWatchClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .overrideConfiguration(override.build())
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
