package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.release.Outcome;
import dev.kiln.testkit.MotoServer;
import dev.kiln.testkit.MotoServerExtension;
import dev.kiln.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The release's automatic rollback judging a color from the ALB's CloudWatch metrics, served by
 * moto_server: series put into moto's CloudWatch as the load balancer would send them, read back by
 * {@link CloudWatchAlbJudge} through the SDK's CloudWatch client. A healthy color is kept, one
 * answering with 5xx is rolled back.
 */
@ExtendWith(MotoServerExtension.class)
@Timeout(120)
class CloudWatchAlbJudgeIT {

  private static final Duration WINDOW = Duration.ofMinutes(15);
  private static final CloudWatchAlbJudge.Limits LIMITS =
      new CloudWatchAlbJudge.Limits(0.01, Duration.ofSeconds(2), 20);

  private final MotoServer moto;
  private MotoEstate fixture;
  private CloudWatchClient cloudWatch;
  private SettableClock clock;

  CloudWatchAlbJudgeIT(MotoServer moto) {
    this.moto = moto;
  }

  @BeforeEach
  void start() {
    fixture = MotoEstate.create(moto, 2, 0);
    cloudWatch =
        CloudWatchClient.builder()
            .region(Region.of(MotoServer.REGION))
            .endpointOverride(moto.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .overrideConfiguration(
                override ->
                    override
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        // moto_server fails gzip-compressed PutMetricData bodies (the SDK
                        // compresses those above 10 KB); AWS takes both.
                        .compressionConfiguration(
                            compression -> compression.requestCompressionEnabled(false))
                        .addExecutionInterceptor(new CloudWatchJsonBridge()))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    // Recent, as CloudWatch keeps minute data for 15 days; whole minutes, as the ALB reports them.
    clock =
        new SettableClock(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3)));
  }

  @AfterEach
  void stop() {
    cloudWatch.close();
  }

  private CloudWatchAlbJudge judge() {
    return new CloudWatchAlbJudge(cloudWatch, fixture.traffic().loadBalancerArn(), LIMITS);
  }

  @Test
  void aColorWithoutErrorsPassesAndOneAnsweringWith5xxIsNamed() {
    Instant since = clock.instant();
    Instant until = since.plus(Duration.ofMinutes(10));
    putSeries(Color.GREEN, since, 10, 200, 1, 0.08);
    putSeries(Color.BLUE, since, 10, 200, 40, 0.08);

    assertThat(judge().problem(Color.GREEN, targetGroup(Color.GREEN), since, until))
        .as("1 error in 200 requests a minute is under 1%")
        .isEmpty();
    assertThat(judge().problem(Color.BLUE, targetGroup(Color.BLUE), since, until))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .isEqualTo("blue answered 400 of 2000 requests with 5xx (more than 1.0%)"));
  }

  @Test
  void tooFewRequestsJudgeNothingAndAnotherWindowSeesNoneOfTheSeries() {
    Instant since = clock.instant();
    putSeries(Color.GREEN, since, 3, 5, 5, 0.08);

    assertThat(
            judge()
                .problem(
                    Color.GREEN,
                    targetGroup(Color.GREEN),
                    since,
                    since.plus(Duration.ofMinutes(3))))
        .as("15 requests, all failed, are fewer than the 20 a judgement needs")
        .isEmpty();

    putSeries(Color.GREEN, since.plus(Duration.ofHours(1)), 5, 100, 50, 0.08);
    assertThat(
            judge()
                .problem(
                    Color.GREEN,
                    targetGroup(Color.GREEN),
                    since.plus(Duration.ofMinutes(10)),
                    since.plus(Duration.ofMinutes(40))))
        .as("errors outside the window do not count")
        .isEmpty();
  }

  @Test
  void aHealthyNewColorIsKeptAfterTheRollbackWindow() throws InterruptedException {
    String v2 = fixture.bake("3.1");
    putSeries(Color.GREEN, clock.instant(), 60, 300, 1, 0.12);

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).as(deployed.reason()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(fixture.traffic().live()).isEqualTo(Color.GREEN);
    assertThat(fixture.imagesOf(fixture.estate.webGroup(Color.GREEN))).containsOnly(v2);
  }

  @Test
  void aNewColorAnsweringWith5xxIsRolledBackInsideTheWindow() throws InterruptedException {
    List<String> blueInstances = fixture.instanceIds(fixture.estate.webGroup(Color.BLUE));
    String v2 = fixture.bake("3.2");
    putSeries(Color.GREEN, clock.instant(), 60, 300, 45, 0.12);

    StepResult deployed = blueGreen().deploy(new BlueGreen.Deploy(v2, 0, Duration.ZERO, WINDOW));

    assertThat(deployed.outcome()).as(deployed.reason()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(deployed.reason())
        .contains("rolled back automatically", "green answered", "requests with 5xx");
    assertThat(fixture.traffic().live()).isEqualTo(Color.BLUE);
    assertThat(fixture.instanceIds(fixture.estate.webGroup(Color.BLUE))).isEqualTo(blueInstances);
  }

  private BlueGreen blueGreen() {
    List<String> progress = new ArrayList<>();
    return new BlueGreen(
        fixture.estate,
        fixture.groups(),
        new LaunchTemplates(fixture.clients.ec2()),
        fixture.traffic(),
        new ElbTargetHealthProbe(fixture.clients.elb()),
        new Waiter(clock, clock::advance, Duration.ofSeconds(10)),
        Duration.ofMinutes(5),
        progress::add,
        judge(),
        Duration.ofMinutes(1));
  }

  private String targetGroup(Color color) {
    return fixture.traffic().targetGroupArn(color);
  }

  /**
   * What the ALB sends for one target group each minute from {@code from}: {@code requests}
   * requests, {@code errors} of them answered 5xx by the targets, each in {@code seconds}.
   */
  private void putSeries(
      Color color, Instant from, int minutes, int requests, int errors, double seconds) {
    List<Dimension> dimensions =
        List.of(
            Dimension.builder()
                .name("LoadBalancer")
                .value(CloudWatchAlbJudge.suffix(fixture.traffic().loadBalancerArn()))
                .build(),
            Dimension.builder()
                .name("TargetGroup")
                .value(CloudWatchAlbJudge.suffix(targetGroup(color)))
                .build());
    List<MetricDatum> data = new ArrayList<>();
    for (int minute = 0; minute < minutes; minute++) {
      Instant at = from.plus(Duration.ofMinutes(minute)).plusSeconds(30);
      data.add(datum("RequestCount", requests, StandardUnit.COUNT, at, dimensions));
      data.add(datum("HTTPCode_Target_5XX_Count", errors, StandardUnit.COUNT, at, dimensions));
      data.add(datum("TargetResponseTime", seconds, StandardUnit.SECONDS, at, dimensions));
    }
    for (int start = 0; start < data.size(); start += 150) {
      List<MetricDatum> batch = data.subList(start, Math.min(data.size(), start + 150));
      cloudWatch.putMetricData(put -> put.namespace("AWS/ApplicationELB").metricData(batch));
    }
  }

  private static MetricDatum datum(
      String name, double value, StandardUnit unit, Instant at, List<Dimension> dimensions) {
    return MetricDatum.builder()
        .metricName(name)
        .value(value)
        .unit(unit)
        .timestamp(at)
        .dimensions(dimensions)
        .build();
  }
}
