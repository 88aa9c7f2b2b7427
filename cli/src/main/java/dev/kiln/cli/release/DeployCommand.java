package dev.kiln.cli.release;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kiln release deploy}: a new AMI to the web tier (blue/green) or the GPU agents. */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "web: new launch template version on the idle color, scale it to the live size, wait until"
          + " every target is healthy, optional canary, flip, keep the old color warm, scale it to"
          + " zero.",
      "gpu: new launch template version; old-AMI agents drain and are replaced once idle."
    })
final class DeployCommand implements Callable<Integer> {

  @ParentCommand ReleaseCommand release;

  @Option(names = "--role", required = true, description = "web or gpu")
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
      description = "GPU: how long to wait for busy agents (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Override
  public Integer call() throws Exception {
    try (AwsClients clients = release.clients()) {
      Estate estate = release.estate();
      Groups groups = new Groups(clients.autoScaling());
      LaunchTemplates templates = new LaunchTemplates(clients.ec2());
      try {
        StepResult result;
        if (role == Role.web) {
          result =
              new BlueGreen(
                      estate,
                      groups,
                      templates,
                      new TrafficSwitch(clients.elb(), estate),
                      new ElbTargetHealthProbe(clients.elb()),
                      release.waiter(),
                      healthTimeout,
                      release::progress)
                  .deploy(new BlueGreen.Deploy(ami, canaryPercent, canaryDuration, rollbackWindow));
        } else {
          result =
              new GpuRollout(
                      estate,
                      clients.ec2(),
                      groups,
                      templates,
                      new ProtectedMeansBusy(groups, estate.gpuGroup()),
                      release.waiter(),
                      drainTimeout,
                      release::progress)
                  .roll(ami);
        }
        return release.record(clients, "deploy", role.name(), result);
      } catch (RuntimeException e) {
        return release.recordFailure(clients, "deploy", role.name(), ami, e);
      }
    }
  }
}
