package dev.kiln.cli.release;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The four AWS clients a release needs, built the same way for AWS and for an emulator ({@code
 * endpoint} non-null: path-style S3, usually no retries). Thread-safe.
 */
public record AwsClients(
    Ec2Client ec2, AutoScalingClient autoScaling, ElasticLoadBalancingV2Client elb, S3Client s3)
    implements AutoCloseable {

  /**
   * @param endpoint an endpoint override, or {@code null} for AWS itself
   * @param retries whether the SDK retries throttling and 5xx answers
   */
  public static AwsClients create(
      Region region, URI endpoint, AwsCredentialsProvider credentials, boolean retries) {
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    if (!retries) {
      override.retryStrategy(AwsRetryStrategy.doNotRetry());
    }
    ClientOverrideConfiguration config = override.build();
    var ec2 =
        Ec2Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(config)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    var autoScaling =
        AutoScalingClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(config)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    var elb =
        ElasticLoadBalancingV2Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(config)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    var s3 =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .overrideConfiguration(config)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      ec2.endpointOverride(endpoint);
      autoScaling.endpointOverride(endpoint);
      elb.endpointOverride(endpoint);
      s3.endpointOverride(endpoint).forcePathStyle(true);
    }
    return new AwsClients(ec2.build(), autoScaling.build(), elb.build(), s3.build());
  }

  @Override
  public void close() {
    ec2.close();
    autoScaling.close();
    elb.close();
    s3.close();
  }
}
