package dev.kiln.scheduler.prices;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.dropwizard.Lifecycles;
import dev.kiln.scheduler.leader.LeaderOnlyPoller;
import dev.kiln.scheduler.leader.Leadership;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The scheduler's {@code prices} section: whether and how often the leader refreshes the prices
 * jobs are charged at from AWS (spot price history and the Pricing API), for which instance types
 * (the {@code pricing.instances} types unless named) and zones (every zone of {@code region} unless
 * named). Off unless {@code refresh: true}, so local mode never calls AWS. Credentials come from
 * the default chain (the instance profile) unless {@code accessKey}/{@code secretKey} are set; the
 * endpoints are overridden for tests.
 */
public class PriceRefreshFactory {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final java.time.Duration CHECK = java.time.Duration.ofMinutes(1);

  private boolean refresh;

  @NotNull private Duration interval = Duration.hours(1);

  /** The fleet's region: its spot prices and its on-demand prices. */
  @NotEmpty private String region = "us-east-1";

  /**
   * Where the Pricing API is served: {@code us-east-1}, {@code eu-central-1} or {@code ap-south-1}.
   */
  @NotEmpty private String pricingRegion = "us-east-1";

  @NotNull private List<String> instanceTypes = new ArrayList<>();
  @NotNull private Set<String> availabilityZones = new LinkedHashSet<>();

  /** How far back each refresh reads the spot price history. */
  @NotNull private Duration spotLookback = Duration.hours(6);

  /** How long one call to AWS may take before the refresh gives up and keeps the old prices. */
  @NotNull private Duration callTimeout = Duration.seconds(30);

  private URI ec2Endpoint;
  private URI pricingEndpoint;
  private String accessKey;
  private String secretKey;
  private boolean retries = true;

  /**
   * Starts the refresher on the leader when {@code refresh} is on, and the price age gauge either
   * way; {@code configuredTypes} are the instance types when none are named here.
   */
  public Optional<PriceRefresher> build(
      Environment environment,
      PrometheusRegistry prometheus,
      Jdbi jdbi,
      Leadership leadership,
      List<String> configuredTypes,
      Clock clock) {
    PriceAgeGauge.register(prometheus, jdbi, clock);
    if (!refresh) {
      return Optional.empty();
    }
    Counter failures = PriceRefresher.failureCounter();
    prometheus.register(failures);
    Ec2Client ec2 = ec2Client();
    PricingApiClient pricing = pricingClient();
    PriceRefresher refresher = refresher(jdbi, ec2, pricing, configuredTypes, failures, clock);
    LeaderOnlyPoller poller =
        new LeaderOnlyPoller(
            "price-refresher",
            checkEvery(),
            leadership::isLeader,
            refresher::tick,
            environment.metrics());
    // A new leader looks at once whether the prices are due, not a check interval later.
    leadership.onElected(token -> poller.wake());
    environment
        .lifecycle()
        .manage(
            Lifecycles.managed(
                poller::start,
                () -> {
                  poller.stop();
                  ec2.close();
                  pricing.close();
                }));
    return Optional.of(refresher);
  }

  /** How often the leader checks whether a refresh is due: a minute, or the interval if shorter. */
  java.time.Duration checkEvery() {
    java.time.Duration every = interval.toJavaDuration();
    return every.compareTo(CHECK) < 0 ? every : CHECK;
  }

  /** A refresher over these settings and the given clients. */
  public PriceRefresher refresher(
      Jdbi jdbi,
      Ec2Client ec2,
      PricingApiClient pricing,
      List<String> configuredTypes,
      Counter failures,
      Clock clock) {
    List<String> types = instanceTypes.isEmpty() ? configuredTypes : instanceTypes;
    return new PriceRefresher(
        jdbi,
        new SpotPriceReader(ec2, region, availabilityZones, spotLookback.toJavaDuration()),
        new OnDemandPriceReader(pricing, new PriceListParser(JSON), region),
        types,
        failures,
        clock,
        interval.toJavaDuration());
  }

  /** The EC2 client these settings describe. */
  public Ec2Client ec2Client() {
    var builder =
        Ec2Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials())
            .overrideConfiguration(override())
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (ec2Endpoint != null) {
      builder.endpointOverride(ec2Endpoint);
    }
    return builder.build();
  }

  /** The Pricing API client these settings describe. */
  public PricingApiClient pricingClient() {
    return new PricingApiClient(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(callTimeout.toJavaDuration())
            .socketTimeout(callTimeout.toJavaDuration())
            .build(),
        pricingEndpoint != null ? pricingEndpoint : PricingApiClient.endpointOf(pricingRegion),
        pricingRegion,
        credentials(),
        JSON);
  }

  private ClientOverrideConfiguration override() {
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder().apiCallTimeout(callTimeout.toJavaDuration());
    if (!retries) {
      override.retryStrategy(AwsRetryStrategy.doNotRetry());
    }
    return override.build();
  }

  private AwsCredentialsProvider credentials() {
    return accessKey == null || accessKey.isBlank()
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  @JsonProperty
  public boolean isRefresh() {
    return refresh;
  }

  @JsonProperty
  public void setRefresh(boolean refresh) {
    this.refresh = refresh;
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
  public String getRegion() {
    return region;
  }

  @JsonProperty
  public void setRegion(String region) {
    this.region = region;
  }

  @JsonProperty
  public String getPricingRegion() {
    return pricingRegion;
  }

  @JsonProperty
  public void setPricingRegion(String pricingRegion) {
    this.pricingRegion = pricingRegion;
  }

  @JsonProperty
  public List<String> getInstanceTypes() {
    return instanceTypes;
  }

  @JsonProperty
  public void setInstanceTypes(List<String> instanceTypes) {
    this.instanceTypes = instanceTypes;
  }

  @JsonProperty
  public Set<String> getAvailabilityZones() {
    return availabilityZones;
  }

  @JsonProperty
  public void setAvailabilityZones(Set<String> availabilityZones) {
    this.availabilityZones = availabilityZones;
  }

  @JsonProperty
  public Duration getSpotLookback() {
    return spotLookback;
  }

  @JsonProperty
  public void setSpotLookback(Duration spotLookback) {
    this.spotLookback = spotLookback;
  }

  @JsonProperty
  public Duration getCallTimeout() {
    return callTimeout;
  }

  @JsonProperty
  public void setCallTimeout(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  @JsonProperty
  public URI getEc2Endpoint() {
    return ec2Endpoint;
  }

  @JsonProperty
  public void setEc2Endpoint(URI ec2Endpoint) {
    this.ec2Endpoint = ec2Endpoint;
  }

  @JsonProperty
  public URI getPricingEndpoint() {
    return pricingEndpoint;
  }

  @JsonProperty
  public void setPricingEndpoint(URI pricingEndpoint) {
    this.pricingEndpoint = pricingEndpoint;
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
}
