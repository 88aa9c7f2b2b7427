package dev.kiln.scheduler.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.model.fleet.Fleet;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.util.Optional;
import org.redisson.api.RedissonClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * {@code fleet: {type: aws}}: an EC2 Auto Scaling group of agent instances. Credentials come from
 * the default chain (the instance profile) unless {@code accessKey}/{@code secretKey} are set (an
 * emulator); {@code endpoint} overrides the Auto Scaling endpoint for tests.
 */
public final class AwsFleetFactory extends FleetFactory {
  /** The Auto Scaling group of agent instances. */
  @NotEmpty private String groupName;

  @NotEmpty private String region = "us-east-1";

  /** An endpoint override (moto_server in tests); absent for AWS itself. */
  private URI endpoint;

  private String accessKey;
  private String secretKey;

  /** Whether the SDK retries throttling and 5xx answers; off against an emulator. */
  private boolean retries = true;

  @JsonProperty
  public String getGroupName() {
    return groupName;
  }

  @JsonProperty
  public void setGroupName(String groupName) {
    this.groupName = groupName;
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

  @JsonProperty
  public boolean isRetries() {
    return retries;
  }

  @JsonProperty
  public void setRetries(boolean retries) {
    this.retries = retries;
  }

  @Override
  public Optional<Fleet> build(Environment environment, RedissonClient redisson) {
    AutoScalingClient client = client();
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                client.close();
              }
            });
    AgentDirectory agents = new AgentDirectory(redisson);
    return Optional.of(new AwsAutoScalingFleet(client, groupName, agents::leasesByInstance));
  }

  /** The Auto Scaling client these settings describe. */
  public AutoScalingClient client() {
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    if (!retries) {
      override.retryStrategy(AwsRetryStrategy.doNotRetry());
    }
    AwsCredentialsProvider credentials =
        accessKey == null || accessKey.isBlank()
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    var builder =
        AutoScalingClient.builder()
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
