package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code kiln release deploy}: a new AMI to the web tier (blue/green) or to one agent group (GPU or
 * CPU).
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "web: new launch template version on the idle color, scale it to the live size, wait until"
          + " every target is healthy, optional canary, flip, keep the old color warm, scale it to"
          + " zero.",
      "gpu, cpu: new launch template version of that agent group; old-AMI agents drain and are"
          + " replaced once idle."
    })
final class DeployCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(names = "--role", required = true, description = "web, gpu or cpu")
  Role role;

  @Option(names = "--ami", required = true, description = "The AMI to deploy (ami-...).")
  String ami;

  @Option(
      names = "--canary-percent",
      defaultValue = "0",
      description = "Share of requests for the new color before the flip (default: none).")
  int canaryPercent;

  @Option(
      names = "--canary-duration",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How long the canary runs (default: ${DEFAULT-VALUE}).")
  Duration canaryDuration;

  @Option(
      names = "--rollback-window",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description = "How long the old color stays warm after the flip (default: ${DEFAULT-VALUE}).")
  Duration rollbackWindow;

  @Option(
      names = "--health-timeout",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long the new color has to become healthy (default: ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  @Option(
      names = "--drain-timeout",
      defaultValue = "2h",
      converter = DurationConverter.class,
      description = "gpu, cpu: how long to wait for busy agents (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--max-5xx-percent",
      defaultValue = "1",
      description =
          "Share of 5xx answers (ALB metrics) that rolls the new color back during the canary"
              + " and the rollback window (default: ${DEFAULT-VALUE}).")
  double max5xxPercent;

  @Option(
      names = "--max-p95-latency",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "95th percentile response time (ALB metrics) that rolls the new color back"
              + " (default: ${DEFAULT-VALUE}).")
  Duration maxP95Latency;

  @Option(
      names = "--judge-every",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "How often the new color is judged during the rollback window (default:"
              + " ${DEFAULT-VALUE}).")
  Duration judgeEvery;

  /**
   * The ALB's CloudWatch metrics on AWS; target health only against an emulator (an emulator's load
   * balancer sends no metrics; moto serves CloudWatch over JSON only, which the SDK's CBOR client
   * does not speak).
   */
  private CanaryJudge judge(Estate estate, TrafficSwitch traffic) {
    if (release.endpoint != null) {
      return CanaryJudge.TARGET_HEALTH_ONLY;
    }
    CloudWatchClient cloudWatch =
        CloudWatchClient.builder()
            .region(Region.of(release.region))
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    return new CloudWatchAlbJudge(
        cloudWatch,
        traffic.loadBalancerArn(),
        new CloudWatchAlbJudge.Limits(max5xxPercent / 100, maxP95Latency, 20));
  }

  /** Blue/green, then (prod) the schedulers' own group onto the same AMI. */
  private StepResult deployWeb(
      Estate estate,
      AwsClients clients,
      Groups groups,
      LaunchTemplates templates,
      Consumer<String> progress)
      throws InterruptedException {
    TrafficSwitch traffic = new TrafficSwitch(clients.elb(), estate);
    StepResult web =
        new BlueGreen(
                estate,
                groups,
                templates,
                traffic,
                new ElbTargetHealthProbe(clients.elb()),
                release.waiter(),
                healthTimeout,
                progress,
                judge(estate, traffic),
                judgeEvery)
            .deploy(new BlueGreen.Deploy(ami, canaryPercent, canaryDuration, rollbackWindow));
    if (web.outcome() != Outcome.SUCCEEDED
        || estate.schedulerGroup().isEmpty()
        || estate.schedulerTemplate().isEmpty()
        || !groups.exists(estate.schedulerGroup().get())) {
      return web;
    }
    StepResult schedulers =
        new SchedulerRoll(groups, templates, release.waiter(), healthTimeout, progress)
            .roll(estate.schedulerGroup().get(), estate.schedulerTemplate().get(), ami);
    return new StepResult(
        schedulers.outcome(), ami, web.from(), web.to(), web.reason() + "; " + schedulers.reason());
  }

  @Override
  public Integer call() throws Exception {
    try (AwsClients clients = release.clients()) {
      Estate estate = release.estate();
      Groups groups = new Groups(clients.autoScaling());
      LaunchTemplates templates = new LaunchTemplates(clients.ec2());
      return release.guarded(
          clients,
          "deploy",
          role.name(),
          ami,
          progress ->
              role == Role.web
                  ? deployWeb(estate, clients, groups, templates, progress)
                  : new AgentRollout(
                          estate,
                          role,
                          clients.ec2(),
                          groups,
                          templates,
                          new ProtectedMeansBusy(groups, estate.agentGroup(role)),
                          release.waiter(),
                          drainTimeout,
                          progress)
                      .roll(ami));
    }
  }
}
