package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.release.Outcome;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The release's latency limit: the 95th percentile of the ALB's {@code TargetResponseTime} for the
 * new color. moto_server computes no percentiles, so CloudWatch's {@code GetMetricData} answers
 * from {@link CloudWatchFake} (canned responses in CloudWatch's own shape, beside this class, sent
 * as CloudWatch sends them: CBOR), read by the SDK's CloudWatch client and {@link
 * CloudWatchAlbJudge}; the estate itself (groups, templates, listener) is in moto. A color slower
 * than the limit is rolled back inside the window, a faster one is kept.
 */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class CloudWatchLatencyJudgeIT {

  private static final Duration WINDOW = Duration.ofMinutes(3);
  private static final CloudWatchAlbJudge.Limits LIMITS =
      new CloudWatchAlbJudge.Limits(0.01, Duration.ofSeconds(2), 20);

  private final MotoServer moto;
  private MotoEstate fixture;
  private CloudWatchFake metrics;
  private CloudWatchClient cloudWatch;
  private SettableClock clock;

  CloudWatchLatencyJudgeIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = MotoEstate.create(moto, 2, 0);
    metrics = new CloudWatchFake();
    cloudWatch =
        CloudWatchClient.builder()
            .region(Region.of(MotoServer.REGION))
            .endpointOverride(metrics.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .overrideConfiguration(
                override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    clock = new SettableClock(Instant.parse("2026-12-07T09:00:00Z"));
  }

  @AfterEach
  void stop() {
    cloudWatch.close();
    metrics.close();
  }

  @Test
  void aNewColorSlowerThanTheLimitAtThe95thPercentileIsRolledBack() throws InterruptedException {
    List<String> blueInstances = fixture.instanceIds(fixture.estate.webGroup(Color.BLUE));
    String v2 = fixture.bake("3.3");
    metrics.answerRecorded("get-metric-data-slow.json");

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).as(deployed.reason()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(deployed.reason())
        .contains(
            "rolled back automatically",
            "green answered in 2.87 s at the 95th percentile (more than PT2S)");
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);
    assertThat(fixture.instanceIds(fixture.estate.webGroup(Color.BLUE))).isEqualTo(blueInstances);
    assertThat(fixture.groups().describe(fixture.estate.webGroup(Color.GREEN)).desiredCapacity())
        .isZero();
    assertAskedForTheNewColorsLatency();
  }

  @Test
  void aNewColorFasterThanTheLimitIsKept() throws InterruptedException {
    String v2 = fixture.bake("3.4");
    metrics.answerRecorded("get-metric-data-fast.json");

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).as(deployed.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(fixture.traffic().live()).isEqualTo(Color.GREEN);
    assertThat(fixture.imagesOf(fixture.estate.webGroup(Color.GREEN))).containsOnly(v2);
    assertThat(metrics.requests()).as("judged every minute of the window").hasSize(3);
    assertAskedForTheNewColorsLatency();
  }

  /** Every call asked for the new color's p95 response time, by its ALB and target group. */
  private void assertAskedForTheNewColorsLatency() {
    String loadBalancer = CloudWatchAlbJudge.suffix(fixture.traffic().loadBalancerArn());
    String targetGroup = CloudWatchAlbJudge.suffix(fixture.traffic().targetGroupArn(Color.GREEN));
    assertThat(metrics.requests()).isNotEmpty();
    for (JsonNode request : metrics.requests()) {
      JsonNode latency = null;
      for (JsonNode query : request.path("MetricDataQueries")) {
        if (query.path("Id").asText().equals("latency")) {
          latency = query.path("MetricStat");
        }
      }
      assertThat(latency).as("a latency query in " + request).isNotNull();
      assertThat(latency.path("Stat").asText()).isEqualTo("p95");
      assertThat(latency.path("Metric").path("Namespace").asText()).isEqualTo("AWS/ApplicationELB");
      assertThat(latency.path("Metric").path("MetricName").asText())
          .isEqualTo("TargetResponseTime");
      List<String> dimensions = new ArrayList<>();
      latency
          .path("Metric")
          .path("Dimensions")
          .forEach(d -> dimensions.add(d.path("Name").asText() + "=" + d.path("Value").asText()));
      assertThat(dimensions)
          .containsExactlyInAnyOrder("LoadBalancer=" + loadBalancer, "TargetGroup=" + targetGroup);
    }
  }

  private BlueGreen blueGreen() {
    return new BlueGreen(
        fixture.estate,
        fixture.groups(),
        new LaunchTemplates(fixture.clients.ec2()),
        fixture.traffic(),
        new ElbTargetHealthProbe(fixture.clients.elb()),
        new Waiter(clock, clock::advance, Duration.ofSeconds(10)),
        Duration.ofMinutes(5),
        line -> {},
        new CloudWatchAlbJudge(cloudWatch, fixture.traffic().loadBalancerArn(), LIMITS),
        Duration.ofMinutes(1));
  }
}
